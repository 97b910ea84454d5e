import type { RunView } from '../../protocol/index.ts';
import type { RunnerApi } from './api.ts';
import { confirmAction } from './dialogs.ts';
import { h } from './dom.ts';
import { download } from './downloads.ts';
import { renderTargetBanner } from './target-banner.ts';

export interface RunHeaderActions {
  api: RunnerApi;
  guard: (action: () => Promise<unknown>) => Promise<void>;
  reload: () => Promise<void>;
}

// The top of a run: its id, status and target, exports and ending it, then the warnings,
// preflight, values and notes the panel fills in on every render.
export function renderRunHeader(view: RunView, { api, guard, reload }: RunHeaderActions): HTMLElement[] {
  const exports = [
    ['Export Markdown', 'md'],
    ['Export JSON', 'json'],
    ['Export HTML', 'html'],
    ['Export PDF', 'pdf'],
    ['Export script', 'sh'],
  ].map(([label, extension]) => {
    const button = h('button', { type: 'button', class: 'db-button', 'data-export': extension }, label);
    button.addEventListener(
      'click',
      () =>
        void guard(() => download(api, `/runs/${view.id}/export.${extension}`, `drillbook-${view.id}.${extension}`)),
    );
    return button;
  });
  const complete = h('button', { type: 'button', class: 'db-button', 'data-end': 'complete' }, 'Complete run');
  const abandon = h('button', { type: 'button', class: 'db-button db-button-quiet', 'data-end': 'abandon' }, 'Abandon');
  for (const [button, action, text] of [
    [complete, 'complete', 'Mark this run as completed? No step can run afterwards.'],
    [abandon, 'abandon', 'Abandon this run? It stays in the record as abandoned.'],
  ] as const) {
    button.addEventListener('click', async () => {
      if (await confirmAction(button.textContent ?? '', text, button.textContent ?? 'OK')) {
        await guard(() => api.post(`/runs/${view.id}/${action}`));
        await reload();
      }
    });
  }
  const note = h('textarea', { name: 'note', rows: '2', required: true, 'aria-label': 'Note' });
  const noteForm = h(
    'form',
    { class: 'db-note-form' },
    note,
    h('button', { type: 'submit', class: 'db-button' }, 'Add note'),
  );
  noteForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void guard(async () => {
      await api.post(`/runs/${view.id}/notes`, { text: note.value });
      note.value = '';
    });
  });
  return [
    h(
      'div',
      { class: 'db-run-header' },
      h('h2', {}, `Run ${view.id}`),
      h('p', { 'data-run-status': true, role: 'status', 'aria-live': 'polite' }),
      renderTargetBanner(view.target, { 'data-run-target': true }),
      h('div', { class: 'db-run-actions' }, ...exports, complete, abandon, h('a', { href: '/runs/' }, 'All runs')),
    ),
    h('ul', { class: 'db-run-warnings', 'data-warnings': true }),
    h(
      'details',
      { class: 'db-preflight', open: true },
      h('summary', {}, 'Preflight'),
      h('ul', { 'data-preflight-list': true }),
    ),
    h('details', { class: 'db-values', open: true }, h('summary', {}, 'Values'), h('ul', { 'data-values': true })),
    h('details', { class: 'db-notes' }, h('summary', {}, 'Notes'), h('ul', { 'data-notes': true }), noteForm),
  ];
}
