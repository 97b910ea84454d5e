// `npm run drill -- run SLUG …`: a runbook run from a terminal or CI, through the same run
// service as the page (runner/headless/). Ctrl-C cancels the running step and records it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportCommand, verifyCommand } from '../runner/export/record-commands.ts';
import { runDrill } from '../runner/headless/drill-run.ts';
import { compileRunbookManifest } from './compile-runbook-manifest.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let stop: (() => Promise<void>) | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    void (stop?.() ?? Promise.resolve()).finally(() => process.exit(130));
  });
const io = {
  compile: (slug: string) => compileRunbookManifest(root, slug),
  env: process.env,
  out: (text: string) => process.stdout.write(text),
  err: (text: string) => process.stderr.write(text),
};
const [command, ...rest] = process.argv.slice(2);
const recordCommands: Record<string, (args: string[], recordIo: typeof io) => Promise<number>> = {
  verify: verifyCommand,
  export: exportCommand,
};
const code = await (recordCommands[command ?? '']?.(rest, io) ??
  runDrill(process.argv.slice(2), {
    ...io,
    onStop: (close) => {
      stop = close;
    },
  }));
process.exitCode = code;
