import { type ChildProcess, spawn } from 'node:child_process';
import { RUNNER_NODE_FLAGS } from '../../runner/config.ts';
import { ROOT } from './fixtures.ts';
import { tempDir } from './run-script.ts';
import { clientFor, manifestFor, type RunnerApi } from './runner-http.ts';

export {
  finished,
  fixtureManifest,
  followEvents,
  type HttpResult,
  httpRequest,
  type RunnerApi,
  stepHash,
} from './runner-http.ts';

export interface RunnerHandle extends RunnerApi {
  child: ChildProcess;
}

// Starts the real runner (node runner/main.ts) on a free port with its own state folder: for
// what needs a process of its own (a crash, signals, start-up, its memory).
export async function startRunner(
  options: {
    stateDir?: string;
    manifestFile?: string;
    siteDir?: string;
    env?: Record<string, string>;
    /** A fixed port (a runner started again where the last one listened); a free one by default. */
    port?: number;
  } = {},
): Promise<RunnerHandle> {
  const { file, manifest } = await manifestFor(options.manifestFile);
  const stateDir = options.stateDir ?? (await tempDir('drillbook-state-'));
  const listenOn = String(options.port ?? 0);
  const args = [
    ...RUNNER_NODE_FLAGS,
    'runner/main.ts',
    '--port',
    listenOn,
    '--state-dir',
    stateDir,
    '--manifest',
    file,
  ];
  if (options.siteDir) args.push('--site', options.siteDir);
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DRILLBOOK_PORT: '', ...options.env },
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const { port, token } = await new Promise<{ port: number; token: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`runner did not start:\n${output}`)), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ port: Number(match[1]), token: match[2] as string });
      }
    });
    child.once('exit', (code) => reject(new Error(`runner exited with ${code}:\n${output}`)));
  });
  const { api, raw } = clientFor(port, token);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return { port, token, stateDir, child, logs: () => output, manifest, api, raw, stop };
}
