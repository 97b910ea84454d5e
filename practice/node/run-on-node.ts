import { execa } from 'execa';
import { PracticeError } from '../errors.ts';
import type { PracticeLayout } from '../layout.ts';
import { nodeShellCommand } from './node-shell.ts';

// `npm run practice -- node NAME -- COMMAND…`: runs a command in a node shell, with the
// terminal's stdio, and answers its exit code.
export async function runOnNode(layout: PracticeLayout, argv: string[]): Promise<number> {
  const [name, separator, ...command] = argv;
  const node = layout.nodes.find((item) => item.name === name);
  if (!node) {
    throw new PracticeError(
      'BAD_USAGE',
      `no node "${name ?? ''}"; the nodes are ${layout.nodes.map((item) => item.name).join(', ')}`,
    );
  }
  if (separator !== '--' || command.length === 0) {
    throw new PracticeError('BAD_USAGE', 'usage: npm run practice -- node NAME -- COMMAND [ARG…]');
  }
  const shell = await nodeShellCommand(node, command);
  const result = await execa(shell.file, shell.args, { stdio: 'inherit', reject: false });
  return result.exitCode ?? 1;
}
