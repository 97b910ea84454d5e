import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ContextList, ContextSource, ContextView, Environment, KubeTarget } from '../../protocol/index.ts';
import { type EnvironmentLabels, environmentsFileCandidates, readEnvironmentLabels } from './environments.ts';
import { type LoadedKubeConfig, loadOperatorKubeConfig, mergeKubeConfigFiles } from './load-kubeconfig.ts';
import { contextError, type ResolvedContext, resolveContext } from './resolve-context.ts';

export interface KubeContextsOptions {
  /** The runner's environment: KUBECONFIG, HOME, XDG_CONFIG_HOME. */
  env: Record<string, string | undefined>;
  /** The state dir: the practice cluster's kubeconfig and environments.yaml live under it. */
  stateDir: string;
}

export interface ResolvedTarget {
  target: KubeTarget;
  resolved: ResolvedContext;
}

// The kube contexts a run may be pinned to: the operator's, then the practice cluster's (when it
// is up and the operator's kubeconfig has no context of the same name). Everything is read again
// on every call, so a step sees the kubeconfig and the labels as they are now.
export class KubeContexts {
  readonly #options: KubeContextsOptions;

  constructor(options: KubeContextsOptions) {
    this.#options = options;
  }

  get practiceKubeconfig(): string {
    return path.join(this.#options.stateDir, 'practice', 'kubeconfig');
  }

  list(): ContextList {
    const sources = this.#load();
    const contexts: ContextView[] = [];
    const problems = sources.flatMap((source) => source.loaded.problems);
    const practice = this.#practiceIdentities(sources);
    const labels = this.#labels();
    for (const { source, loaded } of sources) {
      for (const context of loaded.config.contexts) {
        if (contexts.some((known) => known.context === context.name)) continue;
        try {
          const { identity } = resolveContext(loaded.config, context.name, source);
          const environment = environmentOf(identity, practice, labels);
          contexts.push({ ...identity, environment, current: loaded.config.currentContext === context.name });
        } catch (error) {
          problems.push(error instanceof Error ? error.message : String(error));
        }
      }
    }
    return { contexts, problems };
  }

  // Resolves a context by name as it is now: the operator's kubeconfig first, then the practice cluster's.
  resolve(name: string): ResolvedTarget {
    const sources = this.#load();
    const found = sources.find(({ loaded }) => loaded.config.getContextObject(name) !== null);
    if (!found) {
      const problems = sources.flatMap((source) => source.loaded.problems);
      throw contextError(
        name,
        `there is no kube context "${name}"${problems.length > 0 ? ` (${problems.join('; ')})` : ''}`,
      );
    }
    const resolved = resolveContext(found.loaded.config, name, found.source);
    const environment = environmentOf(resolved.identity, this.#practiceIdentities(sources), this.#labels());
    return { target: { ...resolved.identity, environment }, resolved };
  }

  #labels(): EnvironmentLabels {
    return readEnvironmentLabels(environmentsFileCandidates(this.#options.stateDir, this.#options.env));
  }

  // A context of the operator's that reaches the practice cluster (same server and CA) is practice too.
  #practiceIdentities(sources: { source: ContextSource; loaded: LoadedKubeConfig }[]): Set<string> {
    const keys = new Set<string>();
    const practice = sources.find((source) => source.source === 'practice')?.loaded.config;
    if (!practice) return keys;
    for (const context of practice.contexts) {
      try {
        keys.add(serverKey(resolveContext(practice, context.name, 'practice').identity));
      } catch {
        // A broken practice entry labels nothing.
      }
    }
    return keys;
  }

  #load(): { source: ContextSource; loaded: LoadedKubeConfig }[] {
    const sources: { source: ContextSource; loaded: LoadedKubeConfig }[] = [
      { source: 'kubeconfig', loaded: loadOperatorKubeConfig(this.#options.env) },
    ];
    if (existsSync(this.practiceKubeconfig))
      sources.push({ source: 'practice', loaded: mergeKubeConfigFiles([this.practiceKubeconfig]) });
    return sources;
  }
}

function environmentOf(
  identity: Omit<KubeTarget, 'environment'>,
  practice: Set<string>,
  labels: EnvironmentLabels,
): Environment | null {
  if (identity.source === 'practice' || practice.has(serverKey(identity))) return 'practice';
  return labels.labelOf(identity.context);
}

function serverKey(identity: { server: string; caSha256: string | null }): string {
  return `${identity.server} ${identity.caSha256}`;
}
