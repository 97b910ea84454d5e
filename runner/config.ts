import path from 'node:path';
import { parseArgs } from 'node:util';
import { stateDirFrom } from '../common/state-dir.ts';

export const DEFAULT_PORT = 4411;

// Node flags the runner is started with (package.json's "runner" script says the same). A small
// young generation makes V8 collect the pipe buffers of a step's output sooner, which keeps peak
// memory flat however much a step prints (see test/integration/runner-output and npm run bench).
export const RUNNER_NODE_FLAGS = ['--max-semi-space-size=1'];

export interface RunnerConfig {
  host: string;
  port: number;
  /** True when the port was not chosen explicitly, so another free one may be used. */
  portIsDefault: boolean;
  stateDir: string;
  manifestFile: string;
  siteDir: string;
  graceMs: number;
  /** Open a browser on the page once listening. */
  open: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', '::1']);

// Reads the runner's flags. Listening anywhere but loopback takes a flag whose name says what it does.
export function readConfig(argv: string[], env: NodeJS.ProcessEnv): RunnerConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'state-dir': { type: 'string' },
      manifest: { type: 'string' },
      site: { type: 'string' },
      'dangerously-listen-on': { type: 'string' },
      open: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const host = values['dangerously-listen-on'] ?? '127.0.0.1';
  const portText = values.port ?? env.DRILLBOOK_PORT;
  const port = portText === undefined ? DEFAULT_PORT : Number.parseInt(portText, 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, not ${portText}`);
  return {
    host,
    port,
    portIsDefault: portText === undefined,
    stateDir: values['state-dir'] === undefined ? stateDirFrom(env) : path.resolve(values['state-dir']),
    manifestFile: path.resolve(values.manifest ?? 'dist/drillbook/manifest.json'),
    siteDir: path.resolve(values.site ?? 'dist'),
    graceMs: 3000,
    open: values.open ?? false,
  };
}

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host);
}
