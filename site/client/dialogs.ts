import { escapeRegExp } from '../../protocol/regexp.ts';
import { h } from './dom.ts';

// Modal dialogs built on <dialog>: focus is trapped and Escape cancels, by the platform.
function openDialog(content: HTMLElement[], actions: { confirm: string; danger?: boolean }): Promise<FormData | null> {
  const form = h('form', { method: 'dialog', class: 'db-dialog-form' }, ...content);
  const cancel = h('button', { type: 'button', class: 'db-button', value: 'cancel' }, 'Cancel');
  const confirm = h(
    'button',
    {
      type: 'submit',
      class: `db-button ${actions.danger ? 'db-button-danger' : 'db-button-primary'}`,
      value: 'confirm',
    },
    actions.confirm,
  );
  form.append(h('div', { class: 'db-dialog-actions' }, cancel, confirm));
  const dialog = h('dialog', { class: 'db-dialog' }, form);
  document.body.append(dialog);
  return new Promise((resolve) => {
    let result: FormData | null = null;
    cancel.addEventListener('click', () => dialog.close());
    form.addEventListener('submit', (event) => {
      if (!form.reportValidity()) {
        event.preventDefault();
        return;
      }
      result = new FormData(form);
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(result);
    });
    dialog.showModal();
  });
}

// Asks before a destructive step; on production the operator types the cluster's name, which is
// returned so the runner can check it too. Null when the operator backs out.
export async function confirmDestructive(
  title: string,
  command: string,
  cluster: string | null,
): Promise<{ typed: string | undefined } | null> {
  const content: HTMLElement[] = [
    h('h2', {}, `Run "${title}"?`),
    h('p', {}, 'This step is marked destructive. This exact command will run:'),
    h('pre', { class: 'db-dialog-command', 'data-confirm-command': true }, command),
  ];
  if (cluster) {
    content.push(
      h(
        'label',
        { class: 'db-field' },
        h('span', {}, `This runs on PRODUCTION. Type the cluster's name (${cluster}) to confirm`),
        h('input', {
          name: 'cluster',
          required: true,
          pattern: escapeRegExp(cluster),
          autocomplete: 'off',
          'data-confirm-cluster': true,
        }),
      ),
    );
  }
  const answer = await openDialog(content, { confirm: 'Run destructive step', danger: true });
  if (!answer) return null;
  const typed = answer.get('cluster');
  return { typed: typed === null ? undefined : String(typed) };
}

export async function askText(options: {
  title: string;
  fields: {
    name: string;
    label: string;
    secret?: boolean;
    multiline?: boolean;
    value?: string;
    /** A choice among these instead of free text. */
    choices?: string[];
  }[];
  confirm: string;
}): Promise<Record<string, string> | null> {
  const fields = options.fields.map((field) =>
    h(
      'label',
      { class: 'db-field' },
      h('span', {}, field.label),
      field.choices
        ? h(
            'select',
            { name: field.name, required: true },
            ...field.choices.map((choice) => h('option', { value: choice }, choice)),
          )
        : field.multiline
          ? h('textarea', { name: field.name, required: true, rows: '3' }, field.value ?? '')
          : h('input', {
              name: field.name,
              required: true,
              type: field.secret ? 'password' : 'text',
              autocomplete: 'off',
              value: field.value,
            }),
    ),
  );
  const data = await openDialog([h('h2', {}, options.title), ...fields], { confirm: options.confirm });
  return data ? Object.fromEntries([...data.entries()].map(([key, value]) => [key, String(value)])) : null;
}

export async function confirmAction(title: string, text: string, confirm: string): Promise<boolean> {
  return (await openDialog([h('h2', {}, title), h('p', {}, text)], { confirm })) !== null;
}
