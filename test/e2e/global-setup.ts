import path from 'node:path';
import { ROOT } from '../helpers/fixtures.ts';
import { startRunner } from '../helpers/runner-process.ts';

// Starts the runner on the built site (npm run build must have run) and hands its address and
// token to the tests through the environment; returns the teardown.
export default async function globalSetup(): Promise<() => Promise<void>> {
  const runner = await startRunner({
    manifestFile: path.join(ROOT, 'dist/drillbook/manifest.json'),
    siteDir: path.join(ROOT, 'dist'),
  });
  process.env.DRILLBOOK_E2E_PORT = String(runner.port);
  process.env.DRILLBOOK_E2E_TOKEN = runner.token;
  process.env.DRILLBOOK_E2E_STATE = runner.stateDir;
  return () => runner.stop();
}
