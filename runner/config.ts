import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { stateDirFrom } from '../common/state-dir.ts';

export const DEFAULT_PORT = 4411;

// Node flags the runner is started with (package.json's "runner" script says the same). A small
// young generation makes V8 collect the pipe buffers of a step's output sooner, which keeps peak
// memory flat however much a step prints (see test/integration/runner-output and npm run bench).
export const RUNNER_NODE_FLAGS = ['--max-semi-space-size=1'];

const LOOPBACK = new Set(['127.0.0.1', '::1']);

const PortSchema = z.string().transform((text, context) => {
  const port = Number.parseInt(text, 10);
  if (Number.isInteger(port) && port >= 0 && port <= 65535) return port;
  context.addIssue({ code: 'custom', message: `--port must be 0-65535, not ${text}` });
  return z.NEVER;
});

// The runner's settings, from its flags (and DRILLBOOK_PORT / DRILLBOOK_STATE_DIR).
const RunnerConfigSchema = z
  .strictObject({
    /** Where to listen: loopback, unless --dangerously-listen-on says otherwise. */
    host: z.string().default('127.0.0.1'),
    /** --port, else DRILLBOOK_PORT; without either, DEFAULT_PORT. */
    port: PortSchema.optional(),
    /** Runs, logs, working folders and the token file. */
    stateDir: z.string(),
    /** The step manifest: the only thing the runner executes. */
    manifestFile: z.string().default('dist/drillbook/manifest.json'),
    /** The built site, served from the API's origin. */
    siteDir: z.string().default('dist'),
    /** Open a browser on the page once listening. */
    open: z.boolean().default(false),
  })
  .transform((input) => ({
    ...input,
    port: input.port ?? DEFAULT_PORT,
    /** True when the port was not chosen explicitly, so another free one may be used. */
    portIsDefault: input.port === undefined,
    stateDir: path.resolve(input.stateDir),
    manifestFile: path.resolve(input.manifestFile),
    siteDir: path.resolve(input.siteDir),
    /** How long a step's processes get between SIGTERM and SIGKILL. */
    graceMs: 3000,
  }));
export type RunnerConfig = z.output<typeof RunnerConfigSchema>;

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
      open: { type: 'boolean' },
    },
    strict: true,
  });
  const parsed = RunnerConfigSchema.safeParse({
    host: values['dangerously-listen-on'],
    port: values.port ?? env.DRILLBOOK_PORT,
    stateDir: values['state-dir'] ?? stateDirFrom(env),
    manifestFile: values.manifest,
    siteDir: values.site,
    open: values.open,
  });
  if (!parsed.success) throw new Error(z.prettifyError(parsed.error));
  return parsed.data;
}

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host);
}
