import type { ContextList, CreateRunRequest, ParamSpec, RunbookSpec } from '../../protocol/index.ts';
import type { RunnerApi } from './api.ts';
import { h } from './dom.ts';
import { describeFailure } from './runner-status.ts';
import { contextOptionText, renderTargetBanner } from './target-banner.ts';

const OPERATOR_KEY = 'drillbook-operator';

export type StartRequest = Omit<CreateRunRequest, 'runbook'>;

/** The contexts the runner listed, or why they could not be fetched (the form then starts nothing). */
export type LoadedContexts = { list: ContextList } | { failure: unknown };

const MODE_HELP: Record<StartRequest['mode'], string> = {
  live: 'Live: each step runs when you click Run, against the cluster chosen here and only that one.',
  training:
    'Training: steps run as in Live, never against a production context. Each step says what it is for before it runs, a failed check offers its hint, and the ended run shows your trainee report.',
  'dry-run':
    'Dry run: nothing is executed and no cluster is contacted. Each step shows its command with your values filled in, and the runbook exports as a script.',
};

// The form that starts a run: who, how, which cluster, and every param, validated as declared.
export function renderStartForm(
  runbook: RunbookSpec,
  contexts: LoadedContexts,
  onStart: (request: StartRequest) => Promise<void>,
): HTMLFormElement {
  const operator = h('input', {
    name: 'operator',
    required: true,
    autocomplete: 'name',
    value: localStorage.getItem(OPERATOR_KEY) ?? '',
  });
  const mode = h(
    'select',
    { name: 'mode' },
    h('option', { value: 'live' }, 'Live'),
    h('option', { value: 'training' }, 'Training'),
    h('option', { value: 'dry-run' }, 'Dry run'),
  );
  const modeHelp = h('small', { id: 'db-mode-help', 'data-mode-help': true });
  const describeMode = () => {
    modeHelp.textContent = MODE_HELP[mode.value as StartRequest['mode']];
  };
  mode.setAttribute('aria-describedby', 'db-mode-help');
  mode.addEventListener('change', describeMode);
  describeMode();
  const cluster = contextField(contexts);
  const params = runbook.params.map(paramField);
  const submit = h(
    'button',
    { type: 'submit', class: 'db-button db-button-primary', disabled: 'failure' in contexts },
    'Start run',
  );
  const form = h(
    'form',
    { class: 'db-start-form', 'aria-label': 'Start a run' },
    h('h2', {}, 'Start a run'),
    h('div', { class: 'db-field-row' }, label('Operator', operator), label('Mode', mode)),
    modeHelp,
    cluster,
    ...params,
    submit,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    const data = new FormData(form);
    const values: Record<string, string> = {};
    for (const param of runbook.params) {
      const value = String(data.get(`param-${param.name}`) ?? '');
      if (value !== '') values[param.name] = value;
    }
    localStorage.setItem(OPERATOR_KEY, String(data.get('operator')));
    submit.disabled = true;
    const context = String(data.get('context') ?? '');
    void onStart({
      operator: String(data.get('operator')),
      mode: String(data.get('mode')) as StartRequest['mode'],
      ...(context === '' ? {} : { context }),
      params: values,
    }).finally(() => {
      submit.disabled = false;
    });
  });
  return form;
}

// The contexts the start form offers; a broken kubeconfig or environments.yaml is listed in
// problems, not fatal; a list that could not be fetched at all is kept as the failure.
export async function loadContexts(api: RunnerApi): Promise<LoadedContexts> {
  try {
    return { list: await api.get<ContextList>('/contexts') };
  } catch (failure) {
    return { failure };
  }
}

// The kube context the run is pinned to, its environment shown as the step banners show it.
// Without the runner's list there is no choice to offer, not even "No cluster": the field says why.
function contextField(loaded: LoadedContexts): HTMLElement {
  if ('failure' in loaded)
    return h(
      'div',
      { class: 'db-field', 'data-contexts-failed': true },
      h('span', {}, 'Cluster (kube context)'),
      h(
        'p',
        { class: 'db-alert', role: 'alert' },
        `The list of clusters could not be fetched, so no run can start: ${describeFailure(loaded.failure).replace(/\.?$/, '.')} Reload the page to try again.`,
      ),
    );
  const { contexts, problems } = loaded.list;
  const current = contexts.find((context) => context.current);
  const select = h(
    'select',
    { name: 'context', 'data-context-select': true },
    ...contexts.map((context) =>
      h('option', { value: context.context, selected: context === current }, contextOptionText(context)),
    ),
    h('option', { value: '', selected: current === undefined }, 'No cluster: steps reach none'),
  );
  const preview = h('div', { 'data-context-preview': true });
  const showChoice = () => {
    const chosen = contexts.find((context) => context.context === select.value) ?? null;
    preview.replaceChildren(renderTargetBanner(chosen));
  };
  select.addEventListener('change', showChoice);
  showChoice();
  return h(
    'div',
    { class: 'db-field' },
    label('Cluster (kube context)', select),
    preview,
    ...problems.map((problem) => h('small', { class: 'db-field-problem' }, problem)),
  );
}

function paramField(param: ParamSpec): HTMLElement {
  const name = `param-${param.name}`;
  const input = param.enum
    ? h(
        'select',
        { name, required: param.required },
        ...param.enum.map((option) => h('option', { value: option, selected: option === param.default }, option)),
      )
    : h('input', {
        name,
        type: param.secret ? 'password' : 'text',
        required: param.required,
        pattern: param.pattern,
        value: param.default,
        autocomplete: 'off',
        'aria-describedby': param.description ? `${name}-help` : undefined,
      });
  return h(
    'div',
    { class: 'db-field' },
    label(`${param.label}${param.required ? '' : ' (optional)'}`, input),
    param.description ? h('small', { id: `${name}-help` }, param.description) : null,
  );
}

function label(text: string, control: HTMLElement): HTMLElement {
  return h('label', { class: 'db-field' }, h('span', {}, text), control);
}
