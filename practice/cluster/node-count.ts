import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { PracticeError } from '../errors.ts';

// A practice cluster has one control-plane node (one etcd member) or three; the count is chosen by
// the first `up` (or a `reset`) and recorded, so every later command and daemon sees the same nodes.
export const NodeCountSchema = z.union([z.literal(1), z.literal(3)]);
export type NodeCount = z.infer<typeof NodeCountSchema>;
export const DEFAULT_NODE_COUNT: NodeCount = 3;

const RecordSchema = z.object({ nodes: NodeCountSchema });

export function nodeCountFile(practiceRoot: string): string {
  return path.join(practiceRoot, 'cluster.json');
}

// The recorded count, or the default for a cluster that was never started.
export function readNodeCount(practiceRoot: string): NodeCount {
  const file = nodeCountFile(practiceRoot);
  if (!existsSync(file)) return DEFAULT_NODE_COUNT;
  const parsed = RecordSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new PracticeError('BAD_USAGE', `${file} is not a node-count record; reset the cluster`);
  return parsed.data.nodes;
}

// Records the count on first start; a cluster made with the other count keeps its data and says how
// to start over.
export async function recordNodeCount(practiceRoot: string, nodes: NodeCount): Promise<void> {
  const file = nodeCountFile(practiceRoot);
  const recorded = existsSync(file) ? RecordSchema.parse(JSON.parse(await readFile(file, 'utf8'))).nodes : undefined;
  if (recorded === undefined) {
    await mkdir(practiceRoot, { recursive: true });
    await writeFile(file, `${JSON.stringify({ nodes })}\n`);
  } else if (recorded !== nodes) {
    throw new PracticeError(
      'BAD_USAGE',
      `this practice cluster has ${recorded} node(s); \`npm run practice -- reset --nodes ${nodes}\` replaces it with a fresh ${nodes}-node one`,
    );
  }
}

// `--nodes 1`, `--nodes=3`, or nothing (undefined: keep the recorded count).
export function parseNodesFlag(args: string[]): NodeCount | undefined {
  if (args.length === 0) return undefined;
  const value = args[0]?.startsWith('--nodes=')
    ? args[0].slice('--nodes='.length)
    : args[0] === '--nodes'
      ? args[1]
      : undefined;
  const expected = args[0]?.startsWith('--nodes=') ? 1 : 2;
  const parsed = NodeCountSchema.safeParse(Number(value));
  if (args.length !== expected || !parsed.success) {
    throw new PracticeError('BAD_USAGE', '--nodes takes 1 or 3 (one control-plane node, or three)');
  }
  return parsed.data;
}
