import { existsSync } from 'node:fs';
import path from 'node:path';
import { practiceLayout } from '../../practice/layout.ts';
import { nodeShellCommand } from '../../practice/node/node-shell.ts';
import { RunnerError } from '../errors.ts';
import { clientNode } from '../kube/client-node.ts';
import { encodeRemoteValues } from './remote-program.ts';
import { type ProcessRequest, type ProcessResult, runProcess } from './run-process.ts';
import { SSH_LAUNCH, sshArgv } from './ssh-command.ts';
import type { StepExecutor } from './step-executor.ts';

// target="node": on the practice cluster (the run's pinned server is the practice API server)
// the step runs in the named node's shell; anywhere else over SSH with the operator's client.
// Either way the step is a local process group the runner tracks, times out and cancels.
export function createNodeExecutor(options: { stateDir: string }): StepExecutor {
  return { target: 'node', run: (request) => runOnNode(request, options.stateDir) };
}

async function runOnNode(request: ProcessRequest, stateDir: string): Promise<ProcessResult> {
  const target = request.remote?.target;
  if (target?.kind !== 'node' || target.host === undefined) {
    throw new RunnerError('BAD_REQUEST', 'a node step needs the node it runs on');
  }
  const { host, user } = target;
  const practiceNode = findPracticeNode(stateDir, request.env.KUBECONFIG, host);
  if (practiceNode) {
    // The node shell runs its argv; bash's argv is appended by runProcess after this prefix.
    const shell = await nodeShellCommand(practiceNode, ['bash']);
    return runProcess({ ...request, wrapper: { file: shell.file, args: shell.args.slice(0, -1) } });
  }
  const { rendered, values } = request.remote as NonNullable<ProcessRequest['remote']>;
  return runProcess({
    ...request,
    program: SSH_LAUNCH,
    args: sshArgv(user === undefined ? { host } : { host, user }, rendered),
    valuesPayload: encodeRemoteValues(rendered.variables, values),
  });
}

function findPracticeNode(stateDir: string, kubeconfig: string | undefined, host: string) {
  if (!kubeconfig || !existsSync(path.join(stateDir, 'practice', 'kubeconfig'))) return undefined;
  const layout = practiceLayout(stateDir);
  const config = new (clientNode().KubeConfig)();
  config.loadFromFile(kubeconfig);
  if (config.getCurrentCluster()?.server !== layout.apiServer.url) return undefined;
  const node = layout.nodes.find((candidate) => candidate.name === host);
  if (!node) {
    throw new RunnerError(
      'BAD_REQUEST',
      `the practice cluster has no node "${host}"; its nodes are ${layout.nodes.map((item) => item.name).join(', ')}`,
    );
  }
  return node;
}
