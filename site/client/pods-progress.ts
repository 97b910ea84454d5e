import type { RunEvent } from '../../protocol/index.ts';

// Live "2/3 Ready" beside a step's <WaitForPods>, as the runner's watch sees the pods.
export function showPodsProgress(event: Extract<RunEvent, { type: 'pods-progress' }>): void {
  const section = document.getElementById(`step-${event.stepId}`);
  const block = section?.querySelector<HTMLElement>('[data-wait-pods]');
  const status = block?.querySelector<HTMLElement>('[data-pods-progress]');
  if (!block || !status) return;
  const expected = event.expected ?? event.total;
  block.dataset.state = expected > 0 && event.ready >= expected ? 'passed' : 'pending';
  status.textContent = `${event.ready}/${expected} Ready (${event.total} matching in ${event.namespace})`;
}
