import { describe, expect, it } from 'vitest';
import { RunbookFrontmatterSchema } from '../../../protocol/index.ts';

const BASE = { title: 'T', summary: 'S', system: 'etcd' };

describe('preflight requirements in the frontmatter', () => {
  it('takes tools with semver ranges and permissions with verb, resource, group, namespace and steps', () => {
    const parsed = RunbookFrontmatterSchema.parse({
      ...BASE,
      tools: ['kubectl', { name: 'helm', version: '^3.12' }],
      permissions: [
        { verb: 'delete', resource: 'pods', namespace: 'etcd', steps: ['wipe'] },
        { verb: 'get', resource: 'deployments', group: 'apps' },
      ],
    });
    expect(parsed.tools).toEqual([{ name: 'kubectl' }, { name: 'helm', version: '^3.12' }]);
    expect(parsed.permissions[1]).toEqual({ verb: 'get', resource: 'deployments', group: 'apps' });
  });

  it.each([
    [{ tools: [{ name: 'helm', version: 'three' }] }, 'semver range'],
    [{ permissions: [{ verb: 'remove', resource: 'pods' }] }, 'verb'],
    [{ permissions: [{ verb: 'get', resource: 'Pods' }] }, 'plural'],
    [{ permissions: [{ verb: 'get', resource: 'pods', steps: [] }] }, 'steps'],
  ])('refuses %j', (extra, message) => {
    const result = RunbookFrontmatterSchema.safeParse({ ...BASE, ...extra });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(message);
  });
});
