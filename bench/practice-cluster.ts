import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { practiceDown, practiceUp } from '../practice/cluster/lifecycle.ts';
import { practiceLayout } from '../practice/layout.ts';
import { toolPaths } from '../practice/tools/pinned-tools.ts';

const RUNS = Number(process.env.BENCH_KUBECTL_RUNS ?? 20);

// The practice cluster: `practice up` from cold beside its etcd-only part, then what the API server
// adds to one kubectl call (`get pods -o json`) over kubectl's own start-up (`version --client`).
export async function benchPracticeCluster(): Promise<string> {
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'drillbook-bench-practice-'));
  const layout = practiceLayout(stateDir);
  try {
    const up = await practiceUp(layout, { env: process.env, timeoutMs: 60_000 });
    const upSeconds = up.readyMs / 1000;
    const kubectl = (args: string[]) =>
      execa(toolPaths().kubectl, args, {
        env: { KUBECONFIG: layout.kubeconfig, HOME: stateDir, PATH: process.env.PATH },
        extendEnv: false,
        stdin: 'ignore',
      });
    await kubectl(['get', 'pods', '-o', 'json']);
    const timeRuns = async (args: string[]) => {
      const start = performance.now();
      for (let run = 0; run < RUNS; run++) await kubectl(args);
      return (performance.now() - start) / 1000 / RUNS;
    };
    const client = await timeRuns(['version', '--client']);
    const getPods = await timeRuns(['get', 'pods', '-o', 'json']);
    const ratio = getPods / client;
    return [
      `practice:  up from cold ${upSeconds.toFixed(1)} s (etcd alone ${(up.etcdReadyMs / 1000).toFixed(1)} s) (target ≤ 10 s) ${upSeconds <= 10 ? 'ok' : 'MISSED'}`,
      `          kubectl get pods -o json ${(getPods * 1000).toFixed(0)} ms vs kubectl version --client ${(client * 1000).toFixed(0)} ms (${RUNS} runs each)`,
      `          ratio ${ratio.toFixed(2)}× (target ≤ 1.5×) ${ratio <= 1.5 ? 'ok' : 'MISSED'}`,
    ].join('\n');
  } finally {
    await practiceDown(layout);
    await rm(stateDir, { recursive: true, force: true });
  }
}
