import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { CommandStepSpec, Manifest, RunbookSpec } from '../../../protocol/index.ts';
import { compileRunbooks } from '../../../site/compiler/compile-runbooks.ts';
import { ROOT } from '../../helpers/fixtures.ts';

// Static checks for what running Deckhouse's restore runbooks end to end found (issue 13): each
// would break or mislead a restore on a real cluster, and each can be told from the manifest.
const RESTORE = 'deckhouse-etcd-restore';
const OBJECTS = 'deckhouse-etcd-object-restore';
let manifest: Manifest;
beforeAll(async () => {
  manifest = (await compileRunbooks(path.join(ROOT, 'content/runbooks'), ROOT)).manifest;
});

const runbookOf = (slug: string) => manifest.runbooks.find((runbook) => runbook.slug === slug) as RunbookSpec;
const commandSteps = (slug: string) =>
  runbookOf(slug).steps.filter((step): step is CommandStepSpec => step.kind === 'command');
const stepOf = (slug: string, id: string) => {
  const step = commandSteps(slug).find((item) => item.id === id);
  if (!step) throw new Error(`${slug} has no command step ${id}`);
  return step;
};
/** The script as bash would read it, each value a quoted variable. */
const asBash = (script: string) => script.replace(/\{\{(\w+)\}\}/g, '"$DRILLBOOK_VAR_$1"');

describe('deckhouse-etcd-restore', () => {
  it('runs every step that touches the master (sudo) on that master, as a node step', () => {
    const onNode = commandSteps(RESTORE).filter((step) => /sudo -n/.test(step.script));
    expect(onNode.map((step) => step.id)).toContain('restore-snapshot');
    for (const step of onNode) expect(step.target, step.id).toEqual({ kind: 'node', host: '{{nodeName}}' });
  });

  it("reaches etcd at the member's own client URL, never at 127.0.0.1", () => {
    for (const step of commandSteps(RESTORE)) expect(step.script, step.id).not.toContain('127.0.0.1');
    expect(stepOf(RESTORE, 'check-etcd-health').script).toContain('--endpoints {{clientUrl}}');
  });

  it("compares etcd's revision with the backup's, never the key count with the backup's totalKey", () => {
    for (const step of commandSteps(RESTORE))
      for (const capture of step.captures) expect(JSON.stringify(capture), step.id).not.toContain('totalKey');
    const revision = stepOf(RESTORE, 'check-backup-file').captures.find((item) => item.name === 'backupRevision');
    expect(JSON.stringify(revision)).toContain('$.revision');
    expect(stepOf(RESTORE, 'check-etcd-health').script).toMatch(/\[ "\$\{revision:-0\}" -ge \{\{backupRevision\}\} \]/);
  });

  it('restores with etcdutl where it is installed (etcd 3.6 has nothing else), else with etcdctl', () => {
    for (const id of ['check-backup-file', 'restore-snapshot']) {
      const script = stepOf(RESTORE, id).script;
      expect(script.indexOf('command -v etcdutl'), id).toBeGreaterThan(-1);
      expect(script.indexOf('command -v etcdutl'), id).toBeLessThan(script.indexOf('command -v etcdctl'));
      expect(script, id).toMatch(/"\$etcdutl" snapshot restore/);
      expect(script, id).toMatch(/"\$etcdctl" snapshot restore/);
    }
  });

  it("checks the version of the etcdctl the next steps find, not the download's", () => {
    const install = stepOf(RESTORE, 'install-etcdctl');
    expect(install.target).toEqual({ kind: 'node', host: '{{nodeName}}' });
    expect(install.script).toMatch(/etcdctl=\$\(command -v etcdctl\)[^\n]*\n[\s\S]*"\$etcdctl" version\s*$/);
    expect(JSON.stringify(install.checks)).toContain('^etcdctl version: {{etcdVersion}}$');
  });

  it('checks the backup and waits for etcd to stop before any data is copied or deleted', () => {
    const order = runbookOf(RESTORE).steps.map((step) => step.id);
    expect(order.indexOf('check-backup-file')).toBeLessThan(order.indexOf('stop-etcd'));
    expect(order.indexOf('wait-etcd-stopped')).toBeLessThan(order.indexOf('copy-current-data'));
    expect(order.indexOf('copy-current-data')).toBeLessThan(order.indexOf('clear-member-folder'));
  });
});

describe('deckhouse-etcd-object-restore', () => {
  const podSpec = () => {
    const script = asBash(stepOf(OBJECTS, 'start-temporary-etcd').script);
    const yaml = /<<EOF\n([\s\S]*?)\nEOF/.exec(script)?.[1] ?? '';
    return parse(yaml).spec as {
      nodeName: string;
      initContainers: { command: string[] }[];
      containers: { command: string[] }[];
      volumes: { hostPath?: { path: string } }[];
    };
  };

  it('runs only etcd, etcdctl or etcdutl in the distroless etcd image: no shell, no sleep, no kubectl cp', () => {
    const spec = podSpec();
    expect(spec.nodeName).toBe('$DRILLBOOK_VAR_nodeName');
    expect(spec.initContainers[0]?.command.slice(0, 3)).toEqual(['$DRILLBOOK_VAR_restoreTool', 'snapshot', 'restore']);
    expect(spec.containers[0]?.command[0]).toBe('etcd');
    const tool = stepOf(OBJECTS, 'choose-restore-tool').captures.find((item) => item.name === 'restoreTool');
    expect(JSON.stringify(tool)).toContain('(etcdutl|etcdctl)');
    for (const step of commandSteps(OBJECTS)) {
      expect(step.script, step.id).not.toMatch(/\b(kubectl|d8 k) cp\b|sleep 96h|exec [^\n]*-- (\/bin\/)?sh\b/);
    }
  });

  it("serves the restored data, every Secret included, on the pod's loopback address only", () => {
    const command = podSpec().containers[0]?.command ?? [];
    const urls = command.filter((arg) => /^--(listen|advertise)-[a-z-]*urls=/.test(arg));
    expect(urls.length).toBe(3);
    for (const url of urls) expect(url).toMatch(/=http:\/\/127\.0\.0\.1:(2379|2380)$/);
  });

  it('extracts JSON-stored objects with etcdctl, reports protobuf and encrypted ones, and says which tool it used', () => {
    const script = stepOf(OBJECTS, 'extract-objects').script;
    expect(script).toContain('6b387300');
    expect(script).toContain('protobuf, not decoded: $key');
    expect(script).toContain('encrypted at rest, not decoded: $key');
    expect(script).toContain('extracting with etcdhelper');
    expect(script).toContain('extracting with etcdctl in the pod');
    expect(script).toMatch(/\$\(NF-1\) == ns/);
    expect(script).not.toMatch(/grep [^|\n]*\{\{objectNamespace\}\}/);
  });
});

describe("Deckhouse's restore runbooks", () => {
  it('read `etcdctl endpoint health` where it reports: stderr, joined to stdout or checked there', () => {
    for (const slug of [RESTORE, OBJECTS])
      for (const step of commandSteps(slug))
        for (const line of step.script.split('\n').filter((item) => /endpoint health/.test(item))) {
          const onStderr = step.checks.some(({ assert }) => assert.kind === 'regex' && assert.stream === 'stderr');
          expect(/2>&1/.test(line) || onStderr, `${slug}/${step.id}: ${line}`).toBe(true);
        }
  });

  it('have scripts bash can parse, both branches of each version test included', async () => {
    for (const slug of [RESTORE, OBJECTS])
      for (const step of commandSteps(slug)) {
        const result = await execa('bash', ['-n'], { input: asBash(step.script), reject: false });
        expect(result.exitCode, `${slug}/${step.id}: ${result.stderr}`).toBe(0);
      }
  });
});
