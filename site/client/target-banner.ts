import type { ContextView, KubeTarget } from '../../protocol/index.ts';
import { h } from './dom.ts';

const ENVIRONMENT_TEXT: Record<NonNullable<KubeTarget['environment']> | 'unlabelled' | 'none', string> = {
  production: 'PRODUCTION',
  staging: 'Staging',
  practice: 'Practice cluster',
  unlabelled: 'Unlabelled cluster',
  none: 'No cluster',
};

// One line that says where a step runs: environment (coloured), context, server, user, namespace.
export function describeTarget(target: KubeTarget | null): { environment: string; label: string; detail: string } {
  if (!target)
    return {
      environment: 'none',
      label: ENVIRONMENT_TEXT.none,
      detail: 'this run is pinned to no context: kubectl reaches no cluster',
    };
  const environment = target.environment ?? 'unlabelled';
  return {
    environment,
    label: ENVIRONMENT_TEXT[environment],
    detail: `${target.context} · ${target.server} · user ${target.user} · namespace ${target.namespace}`,
  };
}

// The banner element: data-environment picks its colour (global.css).
export function renderTargetBanner(
  target: KubeTarget | null,
  attributes: Record<string, string | boolean> = {},
): HTMLElement {
  const { environment, label, detail } = describeTarget(target);
  return h(
    'p',
    { class: 'db-target', 'data-environment': environment, ...attributes },
    h('strong', { class: 'db-target-environment' }, label),
    h('span', { class: 'db-target-detail' }, detail),
  );
}

// Brings a step's banner in line with the run's target, adding it the first time.
export function showStepTarget(section: HTMLElement, target: KubeTarget | null): void {
  const controls = section.querySelector<HTMLElement>('[data-step-controls]');
  if (!controls) return;
  const banner = renderTargetBanner(target, { 'data-step-target': true });
  const current = controls.querySelector<HTMLElement>('[data-step-target]');
  if (current?.isEqualNode(banner)) return;
  if (current) current.replaceWith(banner);
  else controls.prepend(banner);
}

export function contextOptionText(context: ContextView): string {
  const environment = context.environment ? ` [${context.environment}]` : '';
  return `${context.context}${environment} — ${context.server}${context.current ? ' (current)' : ''}`;
}
