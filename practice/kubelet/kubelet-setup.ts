import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { pathExists } from '../fs-paths.ts';
import { type NodeLayout, onNode, type PracticeLayout } from '../layout.ts';
import { issueCertificate } from '../pki/openssl.ts';
import { kubeletFiles } from './kubelet-paths.ts';

// The practice cluster's one NFS export area: an NFS volume's server:path is <this>/<path>.
export function nfsExportsDir(layout: PracticeLayout): string {
  return path.join(layout.root, 'nfs-exports');
}

// kubeadm's kubelet files on each node: the client certificate (CN=system:node:<node>,
// O=system:nodes) in kubelet-client-current.pem, the serving certificate for :10250, kubelet.conf,
// and the API server's client certificate for kubelets (apiserver-kubelet-client.crt). Reissued
// whenever the cluster CA is newer than them (a reset or a new subnet).
export async function ensureKubeletFiles(layout: PracticeLayout): Promise<void> {
  await Promise.all(layout.nodes.map((node) => ensureNodeKubeletFiles(layout, node)));
}

async function ensureNodeKubeletFiles(layout: PracticeLayout, node: NodeLayout): Promise<void> {
  const files = kubeletFiles(layout, node);
  const ca = { cert: node.files.caCert, key: node.files.caKey };
  const apiServerClient = {
    cert: onNode(node.root, '/etc/kubernetes/pki/apiserver-kubelet-client.crt'),
    key: onNode(node.root, '/etc/kubernetes/pki/apiserver-kubelet-client.key'),
  };
  const caTime = (await stat(node.files.caCert)).mtimeMs;
  const outputs = [files.clientPem, files.servingCert, apiServerClient.cert, files.kubeconfig];
  const times = await Promise.all(
    outputs.map((file) =>
      stat(file).then(
        (info) => info.mtimeMs,
        () => 0,
      ),
    ),
  );
  if (times.every((time) => time >= caTime)) return;
  const client = { cert: `${files.clientPem}.crt`, key: `${files.clientPem}.key` };
  await Promise.all([
    issueCertificate({
      out: client,
      issuer: ca,
      commonName: `system:node:${node.name}`,
      organization: 'system:nodes',
      usage: 'client',
    }),
    issueCertificate({
      out: { cert: files.servingCert, key: files.servingKey },
      issuer: ca,
      commonName: node.name,
      usage: 'server',
      dnsNames: [node.name],
      ipAddresses: [node.address],
    }),
    issueCertificate({
      out: apiServerClient,
      issuer: ca,
      commonName: 'kube-apiserver-kubelet-client',
      organization: 'system:masters',
      usage: 'client',
    }),
  ]);
  const pem = `${await readFile(client.cert, 'utf8')}${await readFile(client.key, 'utf8')}`;
  await writeFile(files.clientPem, pem, { mode: 0o600 });
  await Promise.all([rm(client.cert), rm(client.key)]);
  await writeKubeletConf(layout, node, pem);
}

// kubelet.conf as kubeadm writes it, with the certificate embedded: the kubelet runs on this
// machine, not in the node's mount namespace, so a node path would not resolve for it.
async function writeKubeletConf(layout: PracticeLayout, node: NodeLayout, pem: string): Promise<void> {
  const files = kubeletFiles(layout, node);
  const data = Buffer.from(pem).toString('base64');
  const user = `system:node:${node.name}`;
  await mkdir(path.dirname(files.kubeconfig), { recursive: true });
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'kubernetes',
        cluster: {
          server: layout.apiServer.url,
          'certificate-authority-data': (await readFile(node.files.caCert)).toString('base64'),
        },
      },
    ],
    contexts: [{ name: `${user}@kubernetes`, context: { cluster: 'kubernetes', user } }],
    'current-context': `${user}@kubernetes`,
    users: [{ name: user, user: { 'client-certificate-data': data, 'client-key-data': data } }],
  };
  await writeFile(files.kubeconfig, stringify(config), { mode: 0o600 });
}

export async function hasKubeletFiles(layout: PracticeLayout): Promise<boolean> {
  const present = await Promise.all(layout.nodes.map((node) => pathExists(kubeletFiles(layout, node).kubeconfig)));
  return present.every(Boolean);
}
