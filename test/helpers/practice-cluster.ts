import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll } from 'vitest';
import YAML from 'yaml';
import { practiceDown, practiceUp } from '../../practice/cluster/lifecycle.ts';
import type { NodeCount } from '../../practice/cluster/node-count.ts';
import { runEtcdctl } from '../../practice/etcd/etcdctl.ts';
import { type NodeLayout, type PracticeLayout, practiceLayout } from '../../practice/layout.ts';
import { readPidRecord } from '../../practice/process/daemon.ts';
import { readProcessStat } from '../../practice/process/process-table.ts';
import { toolPaths } from '../../practice/tools/pinned-tools.ts';

export interface ToolResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface HttpAnswer {
  status: number;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

export type PracticeUser = 'admin' | 'viewer';

// One practice cluster for a test file, and the real tools pointed at it.
export interface PracticeCluster {
  stateDir: string;
  layout: PracticeLayout;
  upSeconds: number;
  kubectl(args: string[], options?: { input?: string; context?: 'viewer'; timeoutMs?: number }): Promise<ToolResult>;
  /** kubectl that must succeed: its stdout, or an error carrying the command and its stderr. */
  kubectlOk(args: string[], input?: string): Promise<string>;
  helm(args: string[], options?: { version?: 3 | 4 }): Promise<ToolResult>;
  etcdctl(args: string[]): Promise<ToolResult>;
  request(method: string, urlPath: string, options?: RequestOptions): Promise<HttpAnswer>;
}

export interface RequestOptions {
  body?: string | Buffer;
  contentType?: string;
  user?: PracticeUser;
  timeoutMs?: number;
}

// Starts a cluster in a fresh state dir (its own loopback subnet), as `npm run practice -- up` does.
export async function startPracticeCluster(
  name: string,
  options: { nodes?: NodeCount } = {},
): Promise<PracticeCluster> {
  const stateDir = await mkdtemp(path.join(os.tmpdir(), `drillbook-${name}-`));
  const layout = practiceLayout(stateDir, options.nodes);
  const up = await practiceUp(layout, { env: process.env, timeoutMs: 45_000 });
  const tools = toolPaths();
  const env = { KUBECONFIG: layout.kubeconfig, HOME: stateDir, PATH: `${tools.binDir}:${process.env.PATH}` };
  const run = async (file: string, args: string[], input?: string, timeoutMs = 30_000): Promise<ToolResult> => {
    const result = await execa(file, args, {
      env,
      reject: false,
      timeout: timeoutMs,
      ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
    });
    return { exitCode: result.exitCode ?? 1, stdout: result.stdout, stderr: result.stderr };
  };
  const ca = readClusterCa(layout.kubeconfig);
  const kubectl: PracticeCluster['kubectl'] = (args, options = {}) =>
    run(
      tools.kubectl,
      options.context === 'viewer' ? ['--context=drillbook-practice-viewer', ...args] : args,
      options.input,
      options.timeoutMs,
    );
  return {
    stateDir,
    layout,
    upSeconds: up.readyMs / 1000,
    kubectl,
    kubectlOk: async (args, input) => {
      const result = await kubectl(args, input === undefined ? {} : { input });
      if (result.exitCode !== 0)
        throw new Error(`kubectl ${args.join(' ')} exited ${result.exitCode}\n${result.stderr}`);
      return result.stdout;
    },
    helm: (args, options = {}) => run(options.version === 4 ? tools.helm4 : tools.helm, args),
    etcdctl: (args) => {
      const node = layout.nodes[0] as NodeLayout;
      return runEtcdctl(
        node,
        layout.nodes.map((member) => member.etcd.clientUrl),
        args,
      );
    },
    request: (method, urlPath, options = {}) => requestApi(layout, ca, method, urlPath, options),
  };
}

// One cluster for a whole test file: started before its first test, stopped after its last.
export function usePracticeCluster(name: string, options: { nodes?: NodeCount } = {}): () => PracticeCluster {
  let cluster: PracticeCluster | undefined;
  beforeAll(async () => {
    cluster = await startPracticeCluster(name, options);
  }, 60_000);
  afterAll(() => stopPracticeCluster(cluster), 30_000);
  return () => {
    if (!cluster) throw new Error(`the practice cluster "${name}" did not start`);
    return cluster;
  };
}

export async function stopPracticeCluster(cluster: PracticeCluster | undefined): Promise<void> {
  if (!cluster) return;
  await practiceDown(cluster.layout);
  await rm(cluster.stateDir, { recursive: true, force: true });
}

function readClusterCa(kubeconfig: string): Buffer {
  const config = YAML.parse(readFileSync(kubeconfig, 'utf8')) as {
    clusters: { cluster: { 'certificate-authority-data': string } }[];
  };
  return Buffer.from(config.clusters[0]?.cluster['certificate-authority-data'] ?? '', 'base64');
}

// A raw HTTPS call as a client-go program would make it, with a user's client certificate.
function requestApi(
  layout: PracticeLayout,
  ca: Buffer,
  method: string,
  urlPath: string,
  options: RequestOptions,
): Promise<HttpAnswer> {
  const credentials = layout.users[options.user ?? 'admin'];
  return new Promise((resolve, reject) => {
    const request = https.request(
      `${layout.apiServer.url}${urlPath}`,
      {
        method,
        ca,
        cert: readFileSync(credentials.cert),
        key: readFileSync(credentials.key),
        agent: false,
        timeout: options.timeoutMs ?? 10_000,
        headers: {
          accept: 'application/json',
          ...(options.body === undefined ? {} : { 'content-type': options.contentType ?? 'application/json' }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: response.statusCode ?? 0, body, json: () => JSON.parse(body) });
        });
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${method} ${urlPath} timed out`)));
    request.on('error', reject);
    request.end(options.body);
  });
}

// Polls until a check passes, for what the cluster's controllers do in the background.
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
}

// Polls until check finds something (answers a value, not undefined), or fails naming what it waited for.
export function eventuallyFound<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  return eventually(async () => {
    const value = await check();
    if (value === undefined) throw new Error(`timed out waiting for ${what}`);
    return value;
  }, timeoutMs);
}

export function isAlive(pid: number): boolean {
  const stat = readProcessStat(pid);
  return stat !== null && stat.state !== 'Z';
}

export async function recordedPid(file: string): Promise<number | null> {
  return (await readPidRecord(file))?.pid ?? null;
}

export async function readText(file: string): Promise<string> {
  return readFile(file, 'utf8').catch(() => '');
}

// The API server's credentials for a node's kubelet API (https://<node address>:10250).
export async function readKubeletTls(node: { root: string }): Promise<{ ca: Buffer; cert: Buffer; key: Buffer }> {
  const pki = path.join(node.root, 'etc/kubernetes/pki');
  return {
    ca: await readFile(path.join(pki, 'ca.crt')),
    cert: await readFile(path.join(pki, 'apiserver-kubelet-client.crt')),
    key: await readFile(path.join(pki, 'apiserver-kubelet-client.key')),
  };
}

// kubectl's table output as rows of cells, cut at the header's column starts.
export function parseTable(text: string): Record<string, string>[] {
  const [header = '', ...lines] = text.split('\n').filter((line) => line.trim() !== '');
  const starts = [...header.matchAll(/\S+(?: \S+)*/g)].map((match) => ({ name: match[0], at: match.index }));
  return lines.map((line) =>
    Object.fromEntries(
      starts.map((column, index) => [column.name, line.slice(column.at, starts[index + 1]?.at ?? line.length).trim()]),
    ),
  );
}
