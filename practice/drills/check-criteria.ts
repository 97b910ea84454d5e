import type { Criterion, CriterionResult, ObjectRef } from '../../protocol/index.ts';
import type { FixtureContext } from '../fixtures/fixture-context.ts';
import { readMemberHealth } from './member-health.ts';

// Grades a drill: each success criterion checked against the practice cluster as it is now.
export async function checkCriteria(
  context: FixtureContext,
  criteria: readonly Criterion[],
): Promise<CriterionResult[]> {
  const results: CriterionResult[] = [];
  for (const criterion of criteria) results.push(await checkCriterion(context, criterion));
  return results;
}

async function checkCriterion(context: FixtureContext, criterion: Criterion): Promise<CriterionResult> {
  switch (criterion.kind) {
    case 'objects-exist': {
      const missing: string[] = [];
      for (const object of criterion.objects)
        if (!(await objectExists(context, object))) missing.push(describeObject(object));
      return {
        label: criterion.label ?? `these objects exist: ${criterion.objects.map(describeObject).join(', ')}`,
        passed: missing.length === 0,
        detail: missing.length === 0 ? 'all found' : `missing: ${missing.join(', ')}`,
      };
    }
    case 'etcd-members-healthy': {
      const statuses = await readMemberHealth(context.layout);
      const healthy = statuses.filter((status) => status.healthy);
      const sick = statuses.filter((status) => !status.healthy).map((status) => `${status.name}: ${status.error}`);
      return {
        label: criterion.label ?? `${criterion.count} etcd members are healthy`,
        passed: healthy.length >= criterion.count,
        detail: `${healthy.length} healthy${sick.length > 0 ? `; ${sick.join('; ')}` : ''}`,
      };
    }
    case 'secret-points-at-healthy-etcd': {
      const label =
        criterion.label ??
        `Secret ${criterion.namespace}/${criterion.secret} key ${criterion.key} points at a healthy etcd`;
      const detail = await checkSecretEndpoint(context, criterion);
      return { label, passed: detail.startsWith('healthy'), detail };
    }
  }
}

async function objectExists(context: FixtureContext, object: ObjectRef): Promise<boolean> {
  const namespace = object.namespace ? ['-n', object.namespace] : [];
  const args = ['get', object.kind, object.name, ...namespace, '-o', 'name', '--request-timeout=15s'];
  return (await context.tryKubectl(args)).exitCode === 0;
}

function describeObject(object: ObjectRef): string {
  return `${object.kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name}`;
}

// The key's URL names a Service (<name>.<namespace>.svc…); one of its ready endpoints must answer
// etcd's /health with "health": "true".
async function checkSecretEndpoint(
  context: FixtureContext,
  criterion: Extract<Criterion, { kind: 'secret-points-at-healthy-etcd' }>,
): Promise<string> {
  const read = await context.tryKubectl([
    'get',
    'secret',
    criterion.secret,
    '-n',
    criterion.namespace,
    '-o',
    `jsonpath={.data.${criterion.key.replace(/\./g, '\\.')}}`,
  ]);
  if (read.exitCode !== 0 || read.stdout === '') return `cannot read the key: ${read.stderr.trim() || 'empty'}`;
  const endpoint = Buffer.from(read.stdout, 'base64').toString('utf8').split(',')[0]?.trim() ?? '';
  const url = URL.canParse(endpoint) ? new URL(endpoint) : null;
  const [service, namespace = criterion.namespace] = url?.hostname.split('.') ?? [];
  if (!url || !service) return `not an endpoint URL: ${endpoint}`;
  const addresses = await context.tryKubectl([
    'get',
    'endpoints',
    service,
    '-n',
    namespace,
    '-o',
    'jsonpath={.subsets[*].addresses[*].ip}',
  ]);
  const ips = addresses.stdout.split(/\s+/).filter(Boolean);
  if (addresses.exitCode !== 0 || ips.length === 0)
    return `${endpoint}: service ${namespace}/${service} has no ready endpoint`;
  for (const ip of ips) {
    const health = await fetch(`${url.protocol}//${ip}:${url.port || '2379'}/health`, {
      signal: AbortSignal.timeout(3000),
    })
      .then((response) => response.text())
      .catch(() => '');
    if (/"health":\s*"true"/.test(health)) return `healthy: ${endpoint} (${ip})`;
  }
  return `${endpoint}: no endpoint of ${namespace}/${service} answers /health`;
}
