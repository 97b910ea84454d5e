import { spawn } from 'node:child_process';
import type { RunnerHandle } from '../test/helpers/runner-process.ts';

// bash run directly, as the baseline the runner is held against; resolves with the bytes it printed.
export function spawnOnce(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let bytes = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    child.once('error', reject);
    child.once('close', () => resolve(bytes));
  });
}

export async function time<T>(action: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const start = performance.now();
  const value = await action();
  return { seconds: (performance.now() - start) / 1000, value };
}

export function hashOf(runner: RunnerHandle, stepId: string): string {
  const step = runner.manifest.runbooks[0]?.steps.find((item) => item.id === stepId);
  if (!step) throw new Error(`no step ${stepId}`);
  return step.hash;
}

export async function createRun(runner: RunnerHandle, params: Record<string, string> = {}): Promise<string> {
  const created = await runner.api('POST', '/api/runs', { runbook: 'bench', operator: 'bench', params });
  if (created.status !== 201) throw new Error(created.body);
  return (created.json() as { id: string }).id;
}

export async function runStep(runner: RunnerHandle, runId: string, stepId: string): Promise<void> {
  const response = await runner.api('POST', `/api/runs/${runId}/steps/${stepId}/run`, {
    stepHash: hashOf(runner, stepId),
  });
  if (response.status !== 202) throw new Error(response.body);
}

export function percentile(sorted: readonly number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;
}

export const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISSED');
