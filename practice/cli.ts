// `npm run practice -- up | down | status | reset | env | node | load`: the practice cluster's lifecycle.
// `up` and `reset` take `--nodes 1|3` (default 3, or what the cluster was made with).
import { z } from 'zod';
import { stateDirFrom } from '../common/state-dir.ts';
import { readChartRepoUrl } from './chart-repo/chart-repo.ts';
import { practiceDown, practiceReset, practiceUp, type UpResult } from './cluster/lifecycle.ts';
import { parseNodesFlag } from './cluster/node-count.ts';
import { renderShellEnv } from './cluster/shell-env.ts';
import { formatPracticeStatus, readPracticeStatus } from './cluster/status.ts';
import { PracticeError } from './errors.ts';
import { FixtureNameSchema, loadFixture } from './fixtures/load-fixture.ts';
import { practiceLayout } from './layout.ts';
import { runOnNode } from './node/run-on-node.ts';
import { ensureTools } from './tools/pinned-tools.ts';

const CommandSchema = z.enum(['up', 'down', 'status', 'reset', 'env', 'node', 'load']);
const USAGE =
  'usage: npm run practice -- up [--nodes 1|3] | down | status | reset [--nodes 1|3] | env | node NAME -- COMMAND… | load deephaven|kubeadm|deckhouse|okd';

async function main(argv: string[]): Promise<void> {
  const parsed = CommandSchema.safeParse(argv[0]);
  if (!parsed.success) throw new PracticeError('BAD_USAGE', USAGE);
  const takesNodes = parsed.data === 'up' || parsed.data === 'reset';
  const takesArguments = takesNodes || parsed.data === 'node' || parsed.data === 'load';
  if (argv.length > 1 && !takesArguments) throw new PracticeError('BAD_USAGE', USAGE);
  const stateDir = stateDirFrom(process.env);
  const nodes = takesNodes ? parseNodesFlag(argv.slice(1)) : undefined;
  const layout = practiceLayout(stateDir, nodes);
  switch (parsed.data) {
    case 'node':
      process.exitCode = await runOnNode(layout, argv.slice(1));
      return;
    case 'load': {
      const name = FixtureNameSchema.safeParse(argv[1]);
      if (!name.success || argv.length !== 2) throw new PracticeError('BAD_USAGE', USAGE);
      const { ms } = await loadFixture(layout, name.data);
      console.log(`fixture ${name.data} loaded in ${(ms / 1000).toFixed(1)} s`);
      return;
    }
    case 'up':
      return reportUp(await practiceUp(layout, { env: process.env }), layout.apiServer.url);
    case 'reset':
      return reportUp(await practiceReset(layout, { env: process.env }), layout.apiServer.url);
    case 'down':
      await practiceDown(layout);
      console.log('practice cluster stopped (data kept)');
      return;
    case 'status':
      console.log(formatPracticeStatus(await readPracticeStatus(layout)));
      return;
    case 'env':
      process.stdout.write(renderShellEnv(layout, await ensureTools(), await readChartRepoUrl(layout)));
      return;
  }
}

function reportUp(result: UpResult, url: string): void {
  if (result.alreadyUp) {
    console.log(`practice cluster already up at ${url}`);
    return;
  }
  const seconds = (ms: number) => (ms / 1000).toFixed(1);
  console.log(`practice cluster up at ${url} in ${seconds(result.readyMs)} s (etcd ${seconds(result.etcdReadyMs)} s)`);
  console.log('use it: eval "$(npm run -s practice -- env)"');
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof PracticeError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
