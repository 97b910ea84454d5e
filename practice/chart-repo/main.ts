// The practice chart repository's process: `node practice/chart-repo/main.ts --host=… --dir=…`.
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createChartRepoServer } from './http-server.ts';

const ArgsSchema = z.object({
  host: z.ipv4(),
  dir: z.string().min(1),
  cert: z.string().min(1),
  key: z.string().min(1),
  'url-file': z.string().min(1),
});

const { values } = parseArgs({
  options: Object.fromEntries(Object.keys(ArgsSchema.shape).map((name) => [name, { type: 'string' as const }])),
});
const args = ArgsSchema.parse(values);
const [cert, key] = await Promise.all([readFile(args.cert), readFile(args.key)]);
const server = createChartRepoServer({
  servedDir: args.dir,
  cert,
  key,
  log: (line) => console.log(`${new Date().toISOString()} ${line}`),
});

server.listen(0, args.host, async () => {
  const { port } = server.address() as AddressInfo;
  const url = `https://${args.host}:${port}`;
  const partial = `${args['url-file']}.partial`;
  await writeFile(partial, `${url}\n`);
  await rename(partial, args['url-file']);
  console.log(`chart repository serving ${args.dir} at ${url}`);
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
