import { randomBytes } from 'node:crypto';
import { readConfig } from '../../runner/config.ts';
import { startRunnerInstance } from '../../runner/runner-instance.ts';
import { tempDir } from './run-script.ts';

export {
  finished,
  followEvents,
  type HttpResult,
  httpRequest,
  type RunnerApi,
  stepHash,
} from './runner-http.ts';

import { clientFor, manifestFor, type RunnerApi } from './runner-http.ts';

// Builds the runner in this process, as main.ts does (a JournalRunStore in its own state folder,
// the local executor running real bash, the HTTP app on a free loopback port), for tests that
// only need HTTP. Same shape as startRunner's handle, without a child process.
export async function startApp(
  options: { stateDir?: string; manifestFile?: string; env?: Record<string, string | undefined> } = {},
): Promise<RunnerApi> {
  const { file, manifest } = await manifestFor(options.manifestFile);
  const stateDir = options.stateDir ?? (await tempDir('drillbook-state-'));
  const config = readConfig(['--port', '0', '--state-dir', stateDir, '--manifest', file], {});
  const token = randomBytes(32).toString('base64url');
  const { DRILLBOOK_PORT: _port, DRILLBOOK_STATE_DIR: _state, ...inherited } = process.env;
  const env = options.env ?? inherited;
  let output = '';
  const runner = await startRunnerInstance({
    config,
    token,
    env,
    write: (line) => {
      output += `${line}\n`;
    },
  });
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= runner.close();
    return stopped;
  };
  const { api, raw } = clientFor(runner.port, token);
  return { port: runner.port, token, stateDir, logs: () => output, manifest, api, raw, stop };
}
