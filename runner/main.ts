import { randomBytes } from 'node:crypto';
import { isLoopback, readConfig } from './config.ts';
import { openBrowser } from './open-browser.ts';
import { startRunnerInstance } from './runner-instance.ts';

// The runner process: start the runner on loopback, hand the page its token, stop on a signal.
const config = readConfig(process.argv.slice(2), process.env);
const token = randomBytes(32).toString('base64url');
const { DRILLBOOK_PORT: _port, DRILLBOOK_STATE_DIR: _state, ...operatorEnv } = process.env;
const runner = await startRunnerInstance({ config, token, env: operatorEnv, write: (line) => console.error(line) });
const { log, port } = runner;

if (!isLoopback(config.host)) log(`WARNING: listening on ${config.host}, reachable beyond this machine`);
const shownHost = config.host === '::1' ? '[::1]' : config.host;
const runbooks = runner.service.manifest.runbooks.length;
console.log(`Drillbook runner: ${runbooks} runbooks, ${runner.recovery.runs} recorded runs`);
const pageUrl = `http://${shownHost}:${port}/#token=${token}`;
console.log(`Open ${pageUrl}`);
if (config.open) await openBrowser(config.stateDir, pageUrl, log);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log(`${signal}: canceling running steps and stopping`);
  await runner.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
