// The page imports protocol modules directly, never the barrel: the barrel would bundle zod.
import { renderCommandForDisplay } from '../../protocol/display.ts';
import type { CommandStepSpec, RunView } from '../../protocol/index.ts';
import { ApiError, type RunnerApi } from './api.ts';
import { askText, confirmDestructive } from './dialogs.ts';
import { lookupValue } from './values-view.ts';

export interface RunStepContext {
  api: RunnerApi;
  view: RunView;
  /** Opens the "which pod?" dialog, telling the page that a choice is pending meanwhile. */
  askPod: <T>(stepId: string, ask: () => Promise<T>) => Promise<T>;
}

// The Run button: a destructive step is confirmed first (the cluster's name typed on production),
// and a podSelector step that matched several pods asks which one and runs there.
export async function runStepFromPage(spec: CommandStepSpec, { api, view, askPod }: RunStepContext): Promise<void> {
  let confirmCluster: string | undefined;
  if (spec.risk === 'destructive') {
    const command = renderCommandForDisplay(spec.script, (name) => lookupValue(view, name));
    const cluster = view.target?.environment === 'production' ? view.target.cluster : null;
    const confirmed = await confirmDestructive(spec.title, command, cluster);
    if (!confirmed) return;
    confirmCluster = confirmed.typed;
  }
  try {
    await api.runStep(view.id, spec.id, spec.hash, { confirmCluster });
  } catch (error) {
    const candidates = error instanceof ApiError && error.code === 'CHOOSE_POD' ? error.details?.candidates : null;
    if (!Array.isArray(candidates)) throw error;
    const answer = await askPod(spec.id, () =>
      askText({
        title: `"${spec.title}" runs in which pod?`,
        fields: [{ name: 'pod', label: (error as ApiError).message, choices: candidates.map(String) }],
        confirm: 'Run in this pod',
      }),
    );
    if (answer) await api.runStep(view.id, spec.id, spec.hash, { confirmCluster, pod: answer.pod });
  }
}
