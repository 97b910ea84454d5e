import os from 'node:os';
import path from 'node:path';

// The one place that knows where Drillbook keeps its state: the runner's journal and the
// practice cluster both live under it, so DRILLBOOK_STATE_DIR moves them together.
export function stateDirFrom(env: NodeJS.ProcessEnv): string {
  const stateHome = env.XDG_STATE_HOME ?? path.join(os.homedir(), '.local', 'state');
  return path.resolve(env.DRILLBOOK_STATE_DIR ?? path.join(stateHome, 'drillbook'));
}
