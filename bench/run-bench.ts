// `npm run bench`: the runner against baselines measured in the same run, as ratios.
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileRunbooks } from '../site/compiler/compile-runbooks.ts';
import { tempDir } from '../test/helpers/run-script.ts';
import { finished, followEvents, type RunnerHandle, startRunner } from '../test/helpers/runner-process.ts';
import { benchPageWeight } from './page-weight.ts';
import { benchPracticeCluster } from './practice-cluster.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STEPS = Number(process.env.BENCH_STEPS ?? 200);
const MEGABYTES = Number(process.env.BENCH_MB ?? 200);

function spawnOnce(args: string[]): Promise<number> {
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

async function time<T>(action: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const start = performance.now();
  const value = await action();
  return { seconds: (performance.now() - start) / 1000, value };
}

async function peakRssMb(pid: number): Promise<number> {
  return Number(/VmHWM:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
}

function hashOf(runner: RunnerHandle, stepId: string): string {
  const step = runner.manifest.runbooks[0]?.steps.find((item) => item.id === stepId);
  if (!step) throw new Error(`no step ${stepId}`);
  return step.hash;
}

async function benchDispatch(runner: RunnerHandle): Promise<string> {
  const created = await runner.api('POST', '/api/runs', { runbook: 'bench', operator: 'bench' });
  const runId = (created.json() as { id: string }).id;
  const direct = await time(async () => {
    for (let i = 0; i < STEPS; i++) await spawnOnce(['-c', 'true']);
  });
  const viaApi = await time(async () => {
    for (let attempt = 1; attempt <= STEPS; attempt++) {
      const done = followEvents(runner, runId, finished('noop', attempt), { lastEventId: Number.MAX_SAFE_INTEGER });
      const response = await runner.api('POST', `/api/runs/${runId}/steps/noop/run`, {
        stepHash: hashOf(runner, 'noop'),
      });
      if (response.status !== 202) throw new Error(response.body);
      await done;
    }
  });
  const ratio = viaApi.seconds / direct.seconds;
  return [
    `dispatch: ${STEPS} \`true\` steps through the HTTP API ${viaApi.seconds.toFixed(2)} s (${((viaApi.seconds / STEPS) * 1000).toFixed(1)} ms/step)`,
    `          vs ${STEPS} direct \`bash -c true\` spawns ${direct.seconds.toFixed(2)} s (${((direct.seconds / STEPS) * 1000).toFixed(1)} ms/spawn)`,
    `          ratio ${ratio.toFixed(2)}× (target ≤ 3×) ${ratio <= 3 ? 'ok' : 'MISSED'}`,
  ].join('\n');
}

async function benchStreaming(runner: RunnerHandle): Promise<string> {
  const bytes = MEGABYTES * 1024 * 1024;
  const params = {
    bytes: String(bytes),
    secretOne: 'bench-secret-one-1f2e',
    secretTwo: 'bench-secret-two-3d4c',
    secretThree: 'bench-secret-3-5b6a',
  };
  const created = await runner.api('POST', '/api/runs', { runbook: 'bench', operator: 'bench', params });
  const runId = (created.json() as { id: string }).id;
  const pipe = await time(() => spawnOnce(['-c', `head -c ${bytes} < <(yes 'drillbook benchmark output line')`]));
  const viaRunner = await time(async () => {
    const done = followEvents(runner, runId, finished('stream'), { timeoutMs: 600_000 });
    await runner.api('POST', `/api/runs/${runId}/steps/stream/run`, { stepHash: hashOf(runner, 'stream') });
    await done;
  });
  const pipeRate = MEGABYTES / pipe.seconds;
  const runnerRate = MEGABYTES / viaRunner.seconds;
  const share = runnerRate / pipeRate;
  const rss = await peakRssMb(runner.child.pid as number);
  return [
    `streaming: ${MEGABYTES} MB through the runner (3 secrets masked, full log on disk, capped events to an SSE client)`,
    `          ${viaRunner.seconds.toFixed(2)} s = ${runnerRate.toFixed(0)} MB/s vs a plain pipe ${pipe.seconds.toFixed(2)} s = ${pipeRate.toFixed(0)} MB/s`,
    `          ${(share * 100).toFixed(0)}% of the pipe (target ≥ 25%) ${share >= 0.25 ? 'ok' : 'MISSED'}`,
    `memory:    runner peak RSS ${rss.toFixed(0)} MB after ${MEGABYTES} MB of output (target ≤ 200 MB) ${rss <= 200 ? 'ok' : 'MISSED'}`,
  ].join('\n');
}

const { manifest, diagnostics } = await compileRunbooks(path.join(root, 'bench/fixtures'), root);
if (diagnostics.length > 0) throw new Error(JSON.stringify(diagnostics));
const manifestFile = path.join(await tempDir('drillbook-bench-'), 'manifest.json');
await writeFile(manifestFile, JSON.stringify(manifest));
console.log(benchPageWeight(path.join(root, 'dist')));
const runner = await startRunner({ manifestFile });
try {
  console.log(await benchDispatch(runner));
  console.log(await benchStreaming(runner));
} finally {
  await runner.stop();
}
console.log(await benchPracticeCluster());
