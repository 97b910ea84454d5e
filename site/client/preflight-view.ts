import type { PreflightItemView, RunView } from '../../protocol/index.ts';
import { h } from './dom.ts';

export interface PreflightHandlers {
  recheck: () => void;
  override: (item: PreflightItemView) => void;
}

// The preflight checklist: each item passed, failed (with how to fix it) or overridden (with why).
export function renderPreflight(list: HTMLElement, view: RunView, handlers: PreflightHandlers): void {
  const signature = JSON.stringify([view.preflight, view.status]);
  if (list.dataset.signature === signature) return;
  list.dataset.signature = signature;
  const active = view.status === 'active';
  const items = view.preflight.map((item) => {
    const state = item.passed ? 'passed' : item.overriddenBecause === null ? 'failed' : 'overridden';
    const override =
      state === 'failed' && active
        ? h('button', { type: 'button', class: 'db-button db-button-quiet', 'data-override': item.id }, 'Override…')
        : null;
    override?.addEventListener('click', () => handlers.override(item));
    return h(
      'li',
      { class: 'db-preflight-item', 'data-preflight': item.id, 'data-state': state },
      h(
        'span',
        { class: 'db-preflight-mark', 'aria-hidden': 'true' },
        state === 'passed' ? '✓' : state === 'failed' ? '✗' : '!',
      ),
      h('strong', {}, item.label),
      h('span', {}, ` — ${item.detail}`),
      state === 'failed' && item.fix ? h('small', { class: 'db-preflight-fix' }, `Fix: ${item.fix}`) : null,
      state === 'overridden' ? h('small', {}, `Overridden: ${item.overriddenBecause}`) : null,
      override,
    );
  });
  const recheck = h('button', { type: 'button', class: 'db-button', 'data-preflight-recheck': true }, 'Check again');
  recheck.disabled = !active || view.runningStep !== null;
  recheck.addEventListener('click', handlers.recheck);
  list.replaceChildren(
    ...(items.length > 0 ? items : [h('li', {}, 'Nothing to check: the runbook declares no tools or permissions.')]),
    h('li', {}, recheck),
  );
}

// Says on a step which failed preflight items stop it.
export function describeBlocked(view: RunView, blockedBy: string[]): string {
  const labels = blockedBy.map((id) => view.preflight.find((item) => item.id === id)?.label ?? id);
  return `Blocked by preflight: ${labels.join(', ')}. Fix it and check again, or override it in the Preflight list.`;
}
