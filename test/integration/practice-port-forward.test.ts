import net from 'node:net';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { runEtcdctl } from '../../practice/etcd/etcdctl.ts';
import { toolPaths } from '../../practice/tools/pinned-tools.ts';
import { eventually, usePracticeCluster } from '../helpers/practice-cluster.ts';

// kubectl port-forward with the real kubectl 1.32: SPDY tunnelled in a WebSocket (its default) and
// plain SPDY/3.1 (its fallback), to a pod, a Service, and an etcd member's client port.
const practice = usePracticeCluster('port-forward');
const forwards: { kill: () => boolean }[] = [];

afterEach(() => {
  for (const forward of forwards.splice(0)) forward.kill();
});

// A line server in a debian pod (debian images have perl): greets, then upper-cases each line.
const ECHO_POD = `apiVersion: v1
kind: Pod
metadata: {name: echo, labels: {app: echo}}
spec:
  containers:
  - name: echo
    image: debian:12
    env: [{name: MY_POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}]
    command: [perl, -MIO::Socket::INET, -e]
    args:
    - |
      my $server = IO::Socket::INET->new(LocalAddr => $ENV{MY_POD_IP}, LocalPort => 8080, Listen => 16, ReuseAddr => 1) or die "listen: $!";
      while (my $client = $server->accept) {
        if (fork) { close $client; next }
        print $client "hello from echo\\n";
        while (my $line = <$client>) { print $client uc $line }
        exit 0;
      }
---
apiVersion: v1
kind: Service
metadata: {name: echo}
spec:
  selector: {app: echo}
  ports: [{port: 80, targetPort: 8080}]
`;

// Starts `kubectl port-forward TARGET :PORT` and returns the local port kubectl picked.
async function startForward(args: string[], env: Record<string, string> = {}): Promise<number> {
  const tools = toolPaths();
  const child = execa(tools.kubectl, ['port-forward', ...args], {
    env: { KUBECONFIG: practice().layout.kubeconfig, HOME: practice().stateDir, ...env },
    reject: false,
    stdin: 'ignore',
  });
  forwards.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const port = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(output)?.[1];
      if (port) resolve(Number(port));
    });
    void child.then((result) => reject(new Error(`kubectl port-forward ended: ${result.stderr}`)));
  });
}

// Sends text, half-closes, and reads everything the other end says until it closes.
function converse(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    socket.on('connect', () => socket.end(text));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString()));
    socket.on('error', reject);
  });
}

async function startEchoPod(): Promise<void> {
  await practice().kubectlOk(['apply', '-f', '-'], ECHO_POD);
  await eventually(async () => {
    const phase = await practice().kubectlOk(['get', 'pod', 'echo', '-o', 'jsonpath={.status.phase}']);
    if (phase !== 'Running') throw new Error(`pod echo is ${phase}`);
  }, 30_000);
}

describe('kubectl port-forward', () => {
  it('forwards to a pod through the WebSocket tunnel, one connection after another', async () => {
    await startEchoPod();
    const port = await startForward(['pod/echo', ':8080']);
    expect(await converse(port, 'abc\n')).toBe('hello from echo\nABC\n');
    expect(await converse(port, 'second\n')).toBe('hello from echo\nSECOND\n');
    const large = `${'x'.repeat(99)}\n`.repeat(5000);
    expect(await converse(port, large)).toBe(`hello from echo\n${large.toUpperCase()}`);
  });

  it('forwards to a Service over plain SPDY/3.1, the fallback', async () => {
    await startEchoPod();
    const port = await startForward(['svc/echo', ':80'], { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' });
    expect(await converse(port, 'spdy\n')).toBe('hello from echo\nSPDY\n');
  });

  it("reaches an etcd member's client port, as the runbooks' etcdctl does", async () => {
    const port = await startForward(['-n', 'kube-system', 'pod/etcd-cp-1', ':2379']);
    const node = practice().layout.nodes[0];
    if (!node) throw new Error('no node');
    const health = await runEtcdctl(node, [`https://127.0.0.1:${port}`], ['endpoint', 'health']);
    expect(health.stdout + health.stderr).toContain(`https://127.0.0.1:${port} is healthy`);
  });

  it('reports a refused port on the error stream and refuses users without pods/portforward', async () => {
    await startEchoPod();
    const tools = toolPaths();
    const child = execa(tools.kubectl, ['port-forward', 'pod/echo', ':9999'], {
      env: { KUBECONFIG: practice().layout.kubeconfig, HOME: practice().stateDir },
      reject: false,
      stdin: 'ignore',
      timeout: 20_000,
    });
    forwards.push(child);
    const port = await new Promise<number>((resolve) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        const found = /127\.0\.0\.1:(\d+)/.exec(chunk.toString())?.[1];
        if (found) resolve(Number(found));
      });
    });
    await converse(port, 'x\n');
    const result = await child;
    expect(result.stderr).toMatch(/error forwarding port 9999 to pod default\/echo, uid [0-9a-f-]+: dial tcp .*:9999/);
    expect(result.stderr).toContain('connection refused');
    const viewer = await practice().kubectl(['port-forward', 'pod/echo', ':8080'], { context: 'viewer' });
    expect(viewer.exitCode).not.toBe(0);
    expect(viewer.stderr).toContain('cannot create resource "pods/portforward"');
  });
});
