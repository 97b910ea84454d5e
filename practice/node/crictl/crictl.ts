import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { KUBEADM_PATHS } from '../../kubeadm-paths.ts';
import { KUBELET_PORT } from '../../kubelet/kubelet-paths.ts';
import { type KubeletTls, listKubeletPods, readContainerLog } from '../../kubelet/server/kubelet-client.ts';
import { listNodeContainers, type NodeContainer } from './list-containers.ts';

const USAGE =
  'usage: crictl ps [-a] [-q] [--name REGEX] [--state running|exited] | crictl logs [--tail N] CONTAINER-ID';

// crictl on a practice node, where there is no container runtime socket: the containers are the
// ones the node's kubelet reports. It answers what the runbooks ask of crictl on a kubeadm node:
// `ps` (with -a, -q, --name, --state) and `logs` (with --tail). Run in a node shell, which sets
// DRILLBOOK_NODE_ADDRESS and shows the node's /etc/kubernetes/pki.
async function runCrictl(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const address = process.env.DRILLBOOK_NODE_ADDRESS;
  if (!address) return fail('crictl: not in a practice node shell (DRILLBOOK_NODE_ADDRESS is not set)');
  const kubelet = `https://${address}:${KUBELET_PORT}`;
  const tls = await readTls();
  if (command === 'ps') return listContainers(kubelet, tls, rest);
  if (command === 'logs') return showLogs(kubelet, tls, rest);
  return fail(`crictl: ${command ? `"${command}" is not supported on a practice node` : 'no command'}\n${USAGE}`);
}

async function listContainers(kubelet: string, tls: KubeletTls, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      all: { type: 'boolean', short: 'a' },
      quiet: { type: 'boolean', short: 'q' },
      name: { type: 'string' },
      state: { type: 'string' },
    },
  });
  const name = values.name === undefined ? null : new RegExp(values.name);
  const state = values.state?.toLowerCase() ?? (values.all ? null : 'running');
  const containers = listNodeContainers(await listKubeletPods(kubelet, tls)).filter(
    (container) =>
      (name === null || name.test(container.name)) && (state === null || container.state.toLowerCase() === state),
  );
  if (values.quiet) {
    for (const container of containers) process.stdout.write(`${container.id}\n`);
    return 0;
  }
  const rows = containers.map((container) => [
    container.id.slice(0, 13),
    container.image,
    describeAge(container.createdAt),
    container.state === 'Running' ? 'Running' : 'Exited',
    container.name,
    String(container.attempt),
    container.podId.slice(0, 13),
    container.podName,
  ]);
  process.stdout.write(
    formatTable([['CONTAINER', 'IMAGE', 'CREATED', 'STATE', 'NAME', 'ATTEMPT', 'POD ID', 'POD'], ...rows]),
  );
  return 0;
}

async function showLogs(kubelet: string, tls: KubeletTls, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { tail: { type: 'string' } } });
  const [id] = positionals;
  if (!id || positionals.length > 1) return fail(`crictl: logs takes one container id\n${USAGE}`);
  const matches = listNodeContainers(await listKubeletPods(kubelet, tls)).filter((item) => item.id.startsWith(id));
  const container: NodeContainer | undefined = matches[0];
  if (!container || matches.length > 1) return fail(`crictl: no single container with id ${id}`);
  const tail = values.tail === undefined ? undefined : Number(values.tail);
  const log = await readContainerLog(
    kubelet,
    tls,
    { namespace: container.namespace, pod: container.podName, container: container.name },
    { previous: container.previous, ...(tail !== undefined && tail >= 0 ? { tailLines: tail } : {}) },
  );
  if (log.status !== 200) return fail(`crictl: ${log.body.trim()}`);
  process.stdout.write(log.body);
  return 0;
}

async function readTls(): Promise<KubeletTls> {
  const pki = KUBEADM_PATHS.pki;
  return {
    ca: await readFile(`${pki}/ca.crt`),
    cert: await readFile(`${pki}/apiserver-kubelet-client.crt`),
    key: await readFile(`${pki}/apiserver-kubelet-client.key`),
  };
}

function describeAge(createdAt: Date | null): string {
  if (!createdAt) return 'Unknown';
  const seconds = Math.max(0, Math.round((Date.now() - createdAt.getTime()) / 1000));
  if (seconds < 60) return `${seconds} seconds ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} minutes ago`;
  return `${Math.round(seconds / 3600)} hours ago`;
}

function formatTable(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows
    .map(
      (row) =>
        `${row
          .map((cell, column) => cell.padEnd(widths[column] ?? 0))
          .join('   ')
          .trimEnd()}\n`,
    )
    .join('');
}

function fail(message: string): number {
  process.stderr.write(`${message}\n`);
  return 1;
}

process.exitCode = await runCrictl(process.argv.slice(2)).catch((error: Error) => fail(`crictl: ${error.message}`));
