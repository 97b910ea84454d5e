import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { toolPaths } from '../../practice/tools/pinned-tools.ts';
import type { CommandStepSpec, RunbookSpec } from '../../protocol/index.ts';
import { compileRunbooks } from '../../site/compiler/compile-runbooks.ts';
import { ROOT } from '../helpers/fixtures.ts';
import { runTemplate, tempDir } from '../helpers/run-script.ts';
import { useFixtureCluster } from '../helpers/runbook-drill.ts';

// The OKD runbooks cannot run here (no oc, no etcd operator, no debug pods): what is checked is
// that every manifest they apply, rendered from the step's script by bash with sample values
// passed as data (as the runner passes them), is accepted by a server-side dry run against the
// `okd` fixture's CRDs. Each such step runs with an `oc` that only turns `oc apply|create -f -`
// into `kubectl apply|create --dry-run=server -f -` and refuses anything else.
const fixture = useFixtureCluster('okd', 'okd');
const OKD_RUNBOOKS = ['okd-etcd-backup', 'okd-etcd-automated-backup'];
const APPLIES = /\boc (?:apply|create) -f - <</;

const OC_SHIM = `#!/usr/bin/env bash
case "$1 \${2-} \${3-}" in
  "apply -f -" | "create -f -")
    manifest=$(cat)
    printf '%s\\n---\\n' "$manifest" >> "$OC_MANIFESTS"
    printf '%s\\n' "$manifest" | kubectl "$1" --dry-run=server -f - ;;
  *) echo "oc $*: not run on the practice cluster" >&2; exit 97 ;;
esac
`;

let runbooks: RunbookSpec[];
let binDir: string;

beforeAll(async () => {
  const compiled = await compileRunbooks(path.join(ROOT, 'content/runbooks'), ROOT);
  runbooks = compiled.manifest.runbooks.filter((runbook) => OKD_RUNBOOKS.includes(runbook.slug));
  binDir = await tempDir('drillbook-oc-');
  await writeFile(path.join(binDir, 'oc'), OC_SHIM);
  await chmod(path.join(binDir, 'oc'), 0o755);
});

/** Each param's default (or example), each capture's and manual value's example. */
function sampleValues(runbook: RunbookSpec): Record<string, string> {
  const values: Record<string, string> = {};
  for (const param of runbook.params) values[param.name] = param.default ?? param.example ?? '';
  for (const step of runbook.steps) {
    if (step.kind === 'command') for (const capture of step.captures) values[capture.name] = capture.example ?? '';
    else if (step.input) values[step.input.name] = step.input.example ?? '';
  }
  return values;
}

const applyingSteps = (runbook: RunbookSpec) =>
  runbook.steps.filter((step): step is CommandStepSpec => step.kind === 'command' && APPLIES.test(step.script));

/** The step's script rendered and run by bash as the runner runs it, `oc` being the dry-run shim. */
async function dryRunStep(script: string, values: Record<string, string>) {
  const cwd = await tempDir('drillbook-okd-step-');
  const manifests = path.join(cwd, 'manifests.yaml');
  await writeFile(manifests, '');
  const { cluster } = fixture();
  const result = await runTemplate(script, values, {
    cwd,
    env: {
      PATH: `${binDir}:${toolPaths().binDir}:/usr/bin:/bin`,
      HOME: cluster.stateDir,
      KUBECONFIG: cluster.layout.kubeconfig,
      OC_MANIFESTS: manifests,
      LANG: 'C.UTF-8',
    },
  });
  return {
    exitCode: result.exitCode,
    output: `${result.stdout.toString()}${result.stderr.toString()}`,
    manifests: (await readFile(manifests, 'utf8')).split('\n---\n').filter((text) => text.trim() !== ''),
  };
}

describe('the OKD runbooks on the okd fixture', () => {
  it('apply only manifests that a server-side dry run accepts', async () => {
    expect(runbooks.map((runbook) => runbook.slug).sort()).toEqual([...OKD_RUNBOOKS].sort());
    const accepted: string[] = [];
    for (const runbook of runbooks) {
      const values = sampleValues(runbook);
      for (const step of applyingSteps(runbook)) {
        const result = await dryRunStep(step.script, values);
        const where = `${runbook.slug}/${step.id}`;
        expect(result.exitCode, `${where}\n${result.output}\n${result.manifests.join('\n---\n')}`).toBe(0);
        expect(result.output, where).toMatch(/\(server dry run\)/);
        expect(result.manifests.join(''), where).not.toMatch(/\{\{|\$\{?DRILLBOOK_VAR_/);
        accepted.push(...result.manifests.map((manifest) => `${where}: ${/^kind: (\S+)/m.exec(manifest)?.[1]}`));
      }
    }
    // The backup runbook applies nothing (its steps are oc commands and a debug pod).
    expect(accepted.sort()).toEqual([
      'okd-etcd-automated-backup/create-dynamic-pvc: PersistentVolumeClaim',
      'okd-etcd-automated-backup/create-local-pv: PersistentVolume',
      'okd-etcd-automated-backup/create-local-pvc: PersistentVolumeClaim',
      'okd-etcd-automated-backup/create-local-storage-class: StorageClass',
      'okd-etcd-automated-backup/enable-tech-preview: FeatureGate',
      'okd-etcd-automated-backup/schedule-by-count: Backup',
      'okd-etcd-automated-backup/schedule-by-size: Backup',
      'okd-etcd-automated-backup/start-single-backup: EtcdBackup',
    ]);
  }, 120_000);

  it('fails a step whose manifest has a misspelt field, kind or value', async () => {
    const automated = runbooks.find((runbook) => runbook.slug === 'okd-etcd-automated-backup') as RunbookSpec;
    const values = sampleValues(automated);
    const script = (id: string) => (applyingSteps(automated).find((step) => step.id === id) as CommandStepSpec).script;
    const misspelt: [string, string, string, RegExp][] = [
      ['start-single-backup', 'pvcName:', 'pvcname:', /unknown field "spec\.pvcname"/],
      ['start-single-backup', 'kind: EtcdBackup', 'kind: EtcdBackups', /no matches for kind "EtcdBackups"/],
      ['enable-tech-preview', 'TechPreviewNoUpgrade', 'TechPreviewNoupgrade', /Unsupported value/],
      ['schedule-by-count', 'retentionNumber:', 'retentionNumbers:', /unknown field/],
    ];
    for (const [id, right, wrong, error] of misspelt) {
      expect(script(id)).toContain(right);
      const result = await dryRunStep(script(id).replace(right, wrong), values);
      expect(result.exitCode, `${id}: ${wrong}`).not.toBe(0);
      expect(result.output, `${id}: ${wrong}`).toMatch(error);
    }
  }, 60_000);

  it('refuses, rather than fakes, every other oc command', async () => {
    const backup = runbooks.find((runbook) => runbook.slug === 'okd-etcd-backup') as RunbookSpec;
    const step = backup.steps.find((item) => item.id === 'run-cluster-backup') as CommandStepSpec;
    const result = await dryRunStep(step.script, sampleValues(backup));
    expect(result.exitCode).toBe(97);
    expect(result.output).toContain('not run on the practice cluster');
  }, 30_000);
});
