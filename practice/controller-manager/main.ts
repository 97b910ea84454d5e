// The practice controller manager's process (kube-controller-manager and kube-scheduler in one):
// `node practice/controller-manager/main.ts --server=… --ca-file=… --cert-file=… --key-file=… --state-dir=…`.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createClusterClient } from './client/cluster-client.ts';
import { SYSTEM_CLOCK } from './runtime/clock.ts';
import { startControllers } from './runtime/controller-manager.ts';

const ArgsSchema = z.object({
  server: z.url(),
  'ca-file': z.string().min(1),
  'cert-file': z.string().min(1),
  'key-file': z.string().min(1),
  'state-dir': z.string().min(1),
});

const { values } = parseArgs({
  options: Object.fromEntries(Object.keys(ArgsSchema.shape).map((name) => [name, { type: 'string' as const }])),
});
const args = ArgsSchema.parse(values);
const log = (message: string, error?: unknown) => {
  const detail = error instanceof Error ? `: ${error.message}` : error === undefined ? '' : `: ${String(error)}`;
  console.log(`${new Date().toISOString()} ${message}${detail}`);
};
const client = createClusterClient({
  server: args.server,
  caFile: args['ca-file'],
  certFile: args['cert-file'],
  keyFile: args['key-file'],
});
const running = await startControllers({ client, clock: SYSTEM_CLOCK, log, practiceRoot: args['state-dir'] });
log('controller manager started');

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    void running.stop().finally(() => process.exit(0));
  });
}
