import { escapeTerminalControls } from '../export/terminal-safe.ts';
import type { RunRuntime } from '../runs/run-runtime.ts';
import type { RunService } from '../runs/run-service.ts';
import { DrillError } from './drill-error.ts';
import type { ProgressSink } from './print-progress.ts';

// The preflight checklist as the page shows it, failures first, then each `--override ITEM=reason`
// recorded as the page's Override does: an item that passed needs none, an unknown one is a
// wrong command line.
export async function overridePreflightItems(
  service: RunService,
  runtime: RunRuntime,
  overrides: Map<string, string>,
  io: ProgressSink,
): Promise<void> {
  const items = [...runtime.state.preflight.values()];
  for (const item of items.filter((entry) => !entry.passed && entry.overriddenBecause === null)) {
    const blocks = item.steps.length > 0 ? `blocks ${item.steps.join(', ')}` : 'blocks no step';
    const fix = item.fix ? `; ${item.fix}` : '';
    io.out(escapeTerminalControls(`Preflight failed: ${item.id} (${item.label}): ${item.detail}${fix}; ${blocks}\n`));
  }
  for (const [itemId, reason] of overrides) {
    const item = runtime.state.preflight.get(itemId);
    if (!item) {
      const known = items.map((entry) => `  ${entry.id} (${entry.passed ? 'passed' : 'failed'})`).join('\n');
      throw new DrillError('USAGE', `--override ${itemId}: the run has no such preflight item; it has\n${known}`);
    }
    if (item.passed) {
      io.out(`Preflight ${itemId} passed: --override ${itemId} not needed\n`);
      continue;
    }
    if (item.overriddenBecause !== null) continue;
    await service.overridePreflight(runtime.id, itemId, reason);
    io.out(`Preflight ${itemId} overridden: ${reason}\n`);
  }
}
