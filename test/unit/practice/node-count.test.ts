import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNodesFlag, readNodeCount, recordNodeCount } from '../../../practice/cluster/node-count.ts';
import { practiceLayout } from '../../../practice/layout.ts';

describe('the practice cluster node count', () => {
  it('reads --nodes 1|3 and refuses anything else', () => {
    expect(parseNodesFlag([])).toBeUndefined();
    expect(parseNodesFlag(['--nodes', '1'])).toBe(1);
    expect(parseNodesFlag(['--nodes=3'])).toBe(3);
    for (const bad of [['--nodes', '2'], ['--nodes'], ['--nodes=1', 'x'], ['-n', '1']]) {
      expect(() => parseNodesFlag(bad)).toThrow('--nodes takes 1 or 3');
    }
  });

  it('lays out one node or three, and later layouts follow the recorded count', async () => {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'drillbook-nodes-'));
    expect(practiceLayout(stateDir).nodes.map((node) => node.name)).toEqual(['cp-1', 'cp-2', 'cp-3']);
    const single = practiceLayout(stateDir, 1);
    expect(single.nodes.map((node) => node.address)).toEqual([`${single.subnet}.11`]);
    await recordNodeCount(single.root, 1);
    expect(readNodeCount(single.root)).toBe(1);
    expect(practiceLayout(stateDir).nodes.map((node) => node.name)).toEqual(['cp-1']);
    await expect(recordNodeCount(single.root, 3)).rejects.toThrow('has 1 node(s)');
  });
});
