// `npm run drill -- run SLUG …`: a runbook run from a terminal or CI, through the same run
// service as the page (runner/headless/). Ctrl-C cancels the running step and records it.
// `npm run drill -- drill NAME …`: a drill solved with its reference answers (runner/drills/).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDrillAttempt } from '../runner/drills/run-drill-attempt.ts';
import { exportCommand, verifyCommand } from '../runner/export/record-commands.ts';
import { type DrillIo, runDrill } from '../runner/headless/drill-run.ts';
import { compileDrillSpec } from './compile-drill-spec.ts';
import { compileRunbookManifest } from './compile-runbook-manifest.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let stop: (() => Promise<void>) | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    void (stop?.() ?? Promise.resolve()).finally(() => process.exit(130));
  });
const argv = process.argv.slice(2);
const io: DrillIo = {
  compile: (slug: string) => compileRunbookManifest(root, slug),
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  onStop: (close) => {
    stop = close;
  },
};
const [command, ...rest] = argv;
const commands: Record<string, (args: string[], recordIo: DrillIo) => Promise<number>> = {
  verify: verifyCommand,
  export: exportCommand,
  drill: () => runDrillAttempt(argv, { ...io, loadDrill: (name) => compileDrillSpec(root, name) }),
};
const code = await (commands[command ?? '']?.(rest, io) ?? runDrill(argv, io));
process.exitCode = code;
