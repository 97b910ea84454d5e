import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { withBashTree } from '../../../common/shell/bash-parser.ts';
import { findVariableReferences, type Manifest, type RunbookSpec } from '../../../protocol/index.ts';
import { renderScript, withPrologue } from '../../../runner/execution/render-script.ts';
import { compileRunbooks } from '../../../site/compiler/compile-runbooks.ts';
import { checkBashSyntax } from '../../../site/compiler/lint/bash-syntax.ts';
import { ROOT } from '../../helpers/fixtures.ts';

const SOURCES = path.resolve(ROOT, '../shared/sources');

// Every section of each source procedure, as the source titles it. The runbooks' frontmatter
// must map each one to the steps that carry it out.
const SOURCE_SECTIONS: Record<string, string[]> = {
  'deephaven-kubernetes-etcd-backup-and-recovery.txt': [
    'Finding your etcd Helm install name, namespace, and root password',
    'Determine if etcd disaster recovery is enabled',
    'Take a snapshot of etcd',
    'Prepare the snapshot file on your RWX storage',
    'Create a Persistent Volume and Persistent Volume Claim for the snapshot',
    'Apply full access permissions to the snapshot directory',
    'Load the etcd Docker images to your repository',
    'Install the new etcd cluster',
    'Updating Deephaven for the new etcd cluster name',
  ],
  'kubeadm-etcd-backup-and-restoration-guide.txt': [
    'TL;DR: etcd Backup & Restoration',
    'Prerequisites',
    'Step 1: Identify etcd Configuration and Endpoints',
    'Step 2: Perform an etcd Snapshot Backup',
    'Step 3: Simulate a Cluster Failure (Optional, but Recommended for Testing)',
    'Step 4: Stop Kubernetes Control Plane Components',
    'Step 5: Restore the etcd Snapshot',
    'Step 6: Restart Kubernetes Control Plane Components',
    'Production Considerations',
    '1. etcdctl command not found or permission denied',
    '2. Failed to connect to etcd (x509: certificate signed by unknown authority)',
    '3. Cluster not coming up after restore',
    '4. Data mismatch or old state after restore',
    '5. Multi-node etcd cluster restore issues',
    'FAQ Section',
  ],
  'deckhouse-working-with-etcd.md': [
    'Automatic backup',
    'Manual backup using Deckhouse CLI',
    'Manual backup with etcdctl',
    'Full cluster state recovery from etcd backup',
    'Recovering a cluster with one master node',
    'Recovering a multi-master cluster',
    'Restoring a Kubernetes object from an etcd backup',
    'Steps for restoring objects from an etcd backup',
    'How to get a list of etcd cluster nodes (option 1)',
    'How to get a list of cluster nodes etcd (option 2)',
    'Rebuilding etcd cluster',
    'Eliminating infinite restart',
  ],
  'okd-backing-up-etcd.txt': [
    'Backing up etcd data',
    'Creating automated etcd backups',
    'Creating a single automated etcd backup',
    'Creating recurring automated etcd backups',
  ],
};

let manifest: Manifest;

beforeAll(async () => {
  const compiled = await compileRunbooks(path.join(ROOT, 'content/runbooks'), ROOT);
  expect(compiled.diagnostics).toEqual([]);
  const sources = readdirSync(path.join(ROOT, 'content/runbooks'), { recursive: true }).filter((name) =>
    String(name).endsWith('.mdx'),
  );
  expect(compiled.manifest.runbooks.length).toBe(sources.length);
  expect(sources.length).toBeGreaterThan(1);
  manifest = compiled.manifest;
});

function sampleValues(runbook: RunbookSpec): Map<string, string> {
  const values = new Map<string, string>();
  for (const param of runbook.params) values.set(param.name, param.example ?? param.default ?? `sample-${param.name}`);
  for (const step of runbook.steps) {
    if (step.kind === 'command')
      for (const capture of step.captures) values.set(capture.name, capture.example ?? `sample-${capture.name}`);
    else if (step.input) values.set(step.input.name, step.input.example ?? `sample-${step.input.name}`);
  }
  return values;
}

function fillSamples(text: string, values: Map<string, string>): string {
  let result = '';
  let cursor = 0;
  for (const reference of findVariableReferences(text)) {
    result += text.slice(cursor, reference.start) + (values.get(reference.name) ?? '');
    cursor = reference.end;
  }
  return result + text.slice(cursor);
}

describe('the published runbooks', () => {
  it('build lint-clean and cross-link only to runbooks that exist', () => {
    const slugs = new Set(manifest.runbooks.map((runbook) => runbook.slug));
    for (const runbook of manifest.runbooks) {
      for (const related of runbook.meta.related) expect(slugs, runbook.slug).toContain(related);
      const source = readFileSync(path.join(ROOT, runbook.sourcePath), 'utf8');
      for (const link of source.matchAll(/\]\(\/runbooks\/([a-z0-9-]+)\/[^)]*\)/g))
        expect(slugs, runbook.slug).toContain(link[1]);
    }
  });

  it('render every step with sample values into a script that bash accepts', async () => {
    for (const runbook of manifest.runbooks) {
      const values = sampleValues(runbook);
      for (const step of runbook.steps) {
        if (step.kind !== 'command') continue;
        const rendered = await renderScript(step.script, values);
        expect(checkBashSyntax(withPrologue(rendered)), `${runbook.slug}/${step.id}`).toBeUndefined();
      }
    }
  });

  it('say where each step runs: on a control-plane node when it needs one, inside a pod when it execs into one', () => {
    for (const runbook of manifest.runbooks) {
      for (const step of runbook.steps) {
        if (step.kind !== 'command') continue;
        const where = `${runbook.slug}/${step.id}`;
        if (step.target.kind === 'pod') expect(step.runsOn, where).toBe('pod');
        else if (step.target.kind === 'node') expect(step.runsOn, where).toBe('control-plane-node');
        else if (/sudo -n|crictl/.test(step.script)) expect(step.runsOn, where).toBe('control-plane-node');
        else if (/\b(kubectl|oc|d8 k)\b[^\n]*\s(exec|debug)\s/.test(step.script))
          expect(step.runsOn, where).toBe('pod');
        else expect(step.runsOn, where).toBe('operator');
      }
    }
  });

  it('embed YAML and JSON that parse', async () => {
    let parsed = 0;
    for (const runbook of manifest.runbooks) {
      const values = sampleValues(runbook);
      for (const step of runbook.steps) {
        if (step.kind !== 'command') continue;
        const bodies = await withBashTree(step.script, (tree) =>
          tree.rootNode.descendantsOfType('heredoc_body').flatMap((node) => (node ? [node.text] : [])),
        );
        for (const body of bodies) {
          const text = fillSamples(body, values);
          const where = `${runbook.slug}/${step.id}`;
          parsed += 1;
          if (/^\s*[[{]/.test(text)) expect(() => JSON.parse(text), where).not.toThrow();
          else for (const document of parseAllDocuments(text)) expect(document.errors, where).toEqual([]);
        }
        for (const match of step.script.matchAll(/(?:-p|--patch)\s+'([^']+)'/g)) {
          parsed += 1;
          expect(() => JSON.parse(fillSamples(match[1] as string, values)), `${runbook.slug}/${step.id}`).not.toThrow();
        }
      }
    }
    expect(parsed).toBeGreaterThan(0);
  });

  it('map every section of every source to steps that exist', () => {
    expect(existsSync(SOURCES), `the sources are expected at ${SOURCES}`).toBe(true);
    for (const [file, sections] of Object.entries(SOURCE_SECTIONS)) {
      const text = readFileSync(path.join(SOURCES, file), 'utf8');
      const runbooks = manifest.runbooks.filter((runbook) => runbook.meta.source?.file === file);
      expect(runbooks.length, file).toBeGreaterThan(0);
      const mapped = runbooks.flatMap((runbook) => runbook.meta.sourceSections ?? []);
      expect(mapped.map((entry) => entry.section).sort(), file).toEqual([...sections].sort());
      for (const runbook of runbooks) {
        const ids = new Set(runbook.steps.map((step) => step.id));
        for (const entry of runbook.meta.sourceSections ?? []) {
          expect(text, `${runbook.slug}: section "${entry.section}"`).toContain(entry.section);
          for (const id of entry.steps) expect(ids, `${runbook.slug}: ${entry.section}`).toContain(id);
        }
      }
    }
  });
});
