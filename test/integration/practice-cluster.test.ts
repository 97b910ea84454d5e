import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartRepoFiles } from '../../practice/chart-repo/repo-files.ts';
import { practiceDown, practiceReset, practiceUp } from '../../practice/cluster/lifecycle.ts';
import { controllerManagerFiles } from '../../practice/controller-manager/daemon.ts';
import { etcdMemberCommand } from '../../practice/etcd/member-command.ts';
import { kubeletFiles } from '../../practice/kubelet/kubelet-paths.ts';
import { type NodeLayout, type PracticeLayout, practiceLayout } from '../../practice/layout.ts';
import { readPidRecord, stopDaemon } from '../../practice/process/daemon.ts';
import { readProcessStat } from '../../practice/process/process-table.ts';
import { readToolVersion, toolPaths } from '../../practice/tools/pinned-tools.ts';

// The API server entry comes from DRILLBOOK_PRACTICE_APISERVER when set, else practice/apiserver/main.ts.
let stateDir: string;
let layout: PracticeLayout;
const cli = path.resolve('practice/cli.ts');

function cleanEnv(): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('ETCDCTL_')));
}

// etcdctl as an operator on cp-1 runs it, with the kubeadm certificate paths under the node's root.
function etcdctl(args: string[], options: { withClientCert?: boolean } = {}) {
  const node = layout.nodes[0] as NodeLayout;
  const pki = path.join(node.root, 'etc/kubernetes/pki/etcd');
  const credentials =
    options.withClientCert === false
      ? []
      : [`--cert=${path.join(pki, 'healthcheck-client.crt')}`, `--key=${path.join(pki, 'healthcheck-client.key')}`];
  return execa(
    '/usr/bin/etcdctl',
    [
      `--endpoints=${layout.nodes.map((member) => member.etcd.clientUrl).join(',')}`,
      `--cacert=${path.join(pki, 'ca.crt')}`,
      ...credentials,
      '--dial-timeout=2s',
      '--command-timeout=4s',
      ...args,
    ],
    { env: { ...cleanEnv(), ETCDCTL_API: '3' }, extendEnv: false, reject: false },
  );
}

function runCli(args: string[]) {
  return execa(process.execPath, [cli, ...args], {
    env: { ...process.env, DRILLBOOK_STATE_DIR: stateDir },
    reject: false,
  });
}

async function recordedPids(): Promise<number[]> {
  const files = [
    layout.apiServer.pidFile,
    chartRepoFiles(layout).pidFile,
    controllerManagerFiles(layout).pidFile,
    ...layout.nodes.map((node) => node.etcd.pidFile),
    ...layout.nodes.map((node) => kubeletFiles(layout, node).pidFile),
  ];
  const records = await Promise.all(files.map(readPidRecord));
  return records.flatMap((record) => (record ? [record.pid] : []));
}

function isAlive(pid: number): boolean {
  const stat = readProcessStat(pid);
  return stat !== null && stat.state !== 'Z';
}

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(os.tmpdir(), 'drillbook-practice-'));
  layout = practiceLayout(stateDir);
  const result = await practiceUp(layout, { env: process.env });
  console.log(
    `practice up from cold: ${(result.readyMs / 1000).toFixed(1)} s (etcd ${(result.etcdReadyMs / 1000).toFixed(1)} s)`,
  );
}, 60_000);

afterAll(async () => {
  if (layout) await practiceDown(layout);
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

describe('practice cluster', () => {
  it('runs three members, healthy over TLS with the kubeadm certificate paths, on its own loopback addresses', async () => {
    const health = await etcdctl(['endpoint', 'health']);
    expect(health.exitCode, health.stderr).toBe(0);
    expect(`${health.stdout}${health.stderr}`.match(/is healthy/g)).toHaveLength(3);
    expect(layout.subnet).not.toMatch(/^127\.0\./);
    const members = await etcdctl(['member', 'list', '-w', 'json']);
    const names = (JSON.parse(members.stdout) as { members: { name: string }[] }).members.map((member) => member.name);
    expect(names.sort()).toEqual(['cp-1', 'cp-2', 'cp-3']);
  });

  it('refuses a client without a certificate', async () => {
    const refused = await etcdctl(['get', 'x', '--command-timeout=1s'], { withClientCert: false });
    expect(refused.exitCode).not.toBe(0);
    const logs = await Promise.all(layout.nodes.map((node) => readFile(node.etcd.logFile, 'utf8')));
    expect(logs.join('\n')).toContain("client didn't provide a certificate");
  });

  it('runs each member as a static pod, with exactly the command its etcd.yaml describes, keys readable by the owner only', async () => {
    for (const node of layout.nodes) {
      const record = await readPidRecord(node.etcd.pidFile);
      if (!record) throw new Error(`no pid for ${node.name}`);
      const argv = readFile(`/proc/${record.pid}/cmdline`, 'utf8');
      expect((await argv).split('\0').filter(Boolean)).toEqual(etcdMemberCommand(layout, node));
      expect((await stat(node.files.etcdPeerKey)).mode & 0o777).toBe(0o600);
      expect((await stat(node.files.caKey)).mode & 0o777).toBe(0o600);
    }
  });

  it('says so and changes nothing when up is run again', async () => {
    const before = await recordedPids();
    const again = await runCli(['up']);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toContain('already up');
    expect(await recordedPids()).toEqual(before);
  });

  it('prints an env that bash can eval, with the pinned kubectl 1.32.3 first on PATH', async () => {
    const script = [
      'set -euo pipefail',
      'eval "$("$DRILLBOOK_NODE" "$DRILLBOOK_CLI" env)"',
      'echo "KUBECONFIG=$KUBECONFIG"',
      'echo "kubectl=$(command -v kubectl) helm=$(command -v helm)"',
      'kubectl version --client -o json',
      'kubectl config get-contexts -o name',
      'kubectl config view --minify -o jsonpath="namespace={.contexts[0].context.namespace} server={.clusters[0].cluster.server}"',
    ].join('\n');
    const result = await execa('bash', ['-c', script], {
      env: { ...process.env, DRILLBOOK_STATE_DIR: stateDir, DRILLBOOK_NODE: process.execPath, DRILLBOOK_CLI: cli },
      reject: false,
    });
    expect(result.exitCode, result.stderr).toBe(0);
    const tools = toolPaths();
    expect(result.stdout).toContain(`KUBECONFIG=${layout.kubeconfig}`);
    expect(result.stdout).toContain(`kubectl=${tools.binDir}/kubectl helm=${tools.binDir}/helm`);
    expect(result.stdout).toContain('"gitVersion": "v1.32.3"');
    expect(result.stdout).toMatch(/^drillbook-practice$/m);
    expect(result.stdout).toMatch(/^drillbook-practice-viewer$/m);
    expect(result.stdout).toContain(`namespace=default server=${layout.apiServer.url}`);
  });

  it('has the pinned kubectl and helm versions, helm 4 included', async () => {
    const tools = toolPaths();
    expect(await readToolVersion('kubectl', tools.kubectl)).toBe('v1.32.3');
    expect(await readToolVersion('helm', tools.helm)).toBe('v3.17.2');
    expect(await readToolVersion('kubectl', tools.kubectl134)).toBe('v1.34.5');
    expect(await readToolVersion('helm', tools.helm4)).toBe('v4.1.4');
  });

  it('down stops every process it recorded and keeps the data, which up reuses', async () => {
    expect((await etcdctl(['put', 'practice-test/kept', 'yes'])).exitCode).toBe(0);
    const pids = await recordedPids();
    expect(pids).toHaveLength(9);
    const started = performance.now();
    const down = await runCli(['down']);
    console.log(`practice down: ${((performance.now() - started) / 1000).toFixed(1)} s (CLI included)`);
    expect(down.exitCode, down.stderr).toBe(0);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(await recordedPids()).toEqual([]);
    await practiceUp(layout, { env: process.env });
    const kept = await etcdctl(['get', 'practice-test/kept', '--print-value-only']);
    expect(kept.stdout.trim()).toBe('yes');
  });

  it('reset wipes the data and starts a fresh cluster', async () => {
    expect((await etcdctl(['put', 'practice-test/wiped', 'yes'])).exitCode).toBe(0);
    const oldPids = await recordedPids();
    await practiceReset(layout, { env: process.env });
    expect(oldPids.filter(isAlive)).toEqual([]);
    const wiped = await etcdctl(['get', 'practice-test/wiped', '--print-value-only']);
    expect(wiped.exitCode, wiped.stderr).toBe(0);
    expect(wiped.stdout.trim()).toBe('');
  });

  it('fails with the log file to read when the API server does not come up', async () => {
    await stopDaemon(layout.apiServer.pidFile, 5000);
    const exits = path.resolve('test/fixtures/practice/apiserver-exits.ts');
    const failing = practiceUp(layout, {
      env: { ...process.env, DRILLBOOK_PRACTICE_APISERVER: exits },
      timeoutMs: 10_000,
    });
    await expect(failing).rejects.toThrow(layout.apiServer.logFile);
    expect(await readFile(layout.apiServer.logFile, 'utf8')).toContain('failing on purpose');
  });
});
