import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathExists } from '../fs-paths.ts';
import type { NodeLayout, PracticeLayout } from '../layout.ts';
import {
  type CertificateRequest,
  createAuthority,
  createSigningKey,
  issueCertificate,
  type KeyPair,
} from './openssl.ts';

const API_SERVER_NAMES = [
  'localhost',
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
];
const STAMP_VERSION = 1;

// Issues every certificate the cluster needs, unless the ones on disk were made for this
// subnet. All nodes share the cluster's CAs, as kubeadm nodes do; each node has its own leaves.
export async function ensureClusterPki(layout: PracticeLayout): Promise<void> {
  if (await isPkiCurrent(layout)) return;
  for (const node of layout.nodes) await rm(node.files.pki, { recursive: true, force: true });
  await rm(path.dirname(layout.users.admin.cert), { recursive: true, force: true });

  const first = firstNode(layout);
  const kubernetesCa = { cert: first.files.caCert, key: first.files.caKey };
  const etcdCa = { cert: first.files.etcdCaCert, key: first.files.etcdCaKey };
  await Promise.all([
    createAuthority(kubernetesCa, 'kubernetes'),
    createAuthority(etcdCa, 'etcd-ca'),
    createSigningKey(first.files.serviceAccountKey, first.files.serviceAccountPublicKey),
  ]);
  await Promise.all(layout.nodes.slice(1).map((node) => copySharedKeys(first, node)));

  const requests = [
    ...layout.nodes.flatMap((node) => nodeCertificates(layout, node)),
    clientCertificate(layout.users.admin, kubernetesCa, 'kubernetes-admin', 'system:masters'),
    clientCertificate(layout.users.viewer, kubernetesCa, 'drillbook-viewer', 'drillbook:viewers'),
  ];
  await Promise.all(requests.map(issueCertificate));
  await writeFile(layout.pkiStamp, `${JSON.stringify({ version: STAMP_VERSION, subnet: layout.subnet })}\n`);
}

async function isPkiCurrent(layout: PracticeLayout): Promise<boolean> {
  try {
    const stamp = JSON.parse(await readFile(layout.pkiStamp, 'utf8')) as { version?: number; subnet?: string };
    if (stamp.version !== STAMP_VERSION || stamp.subnet !== layout.subnet) return false;
  } catch {
    return false;
  }
  const files = [
    ...layout.nodes.flatMap((node) => Object.values(certificateFiles(node))),
    layout.users.admin.cert,
    layout.users.viewer.cert,
  ];
  const present = await Promise.all(files.map(pathExists));
  return present.every(Boolean);
}

function certificateFiles(node: NodeLayout): Record<string, string> {
  const { files } = node;
  return {
    caCert: files.caCert,
    etcdCaCert: files.etcdCaCert,
    etcdServerKey: files.etcdServerKey,
    etcdPeerKey: files.etcdPeerKey,
    etcdHealthcheckClientKey: files.etcdHealthcheckClientKey,
    apiServerKey: files.apiServerKey,
    apiServerEtcdClientKey: files.apiServerEtcdClientKey,
  };
}

function firstNode(layout: PracticeLayout): NodeLayout {
  const [first] = layout.nodes;
  if (!first) throw new Error('the practice layout has no nodes');
  return first;
}

async function copySharedKeys(from: NodeLayout, to: NodeLayout): Promise<void> {
  const shared = [
    'caCert',
    'caKey',
    'etcdCaCert',
    'etcdCaKey',
    'serviceAccountKey',
    'serviceAccountPublicKey',
  ] as const;
  await mkdir(to.files.etcdPki, { recursive: true });
  await Promise.all(shared.map((name) => copyFile(from.files[name], to.files[name])));
}

function nodeCertificates(layout: PracticeLayout, node: NodeLayout): CertificateRequest[] {
  const { files } = node;
  const kubernetesCa = { cert: files.caCert, key: files.caKey };
  const etcdCa = { cert: files.etcdCaCert, key: files.etcdCaKey };
  const memberNames = { dnsNames: [node.name, 'localhost'], ipAddresses: [node.address, '127.0.0.1'] };
  return [
    {
      out: { cert: files.etcdServerCert, key: files.etcdServerKey },
      issuer: etcdCa,
      commonName: node.name,
      usage: 'server-and-client',
      ...memberNames,
    },
    {
      out: { cert: files.etcdPeerCert, key: files.etcdPeerKey },
      issuer: etcdCa,
      commonName: node.name,
      usage: 'server-and-client',
      ...memberNames,
    },
    clientCertificate(
      { cert: files.etcdHealthcheckClientCert, key: files.etcdHealthcheckClientKey },
      etcdCa,
      'kube-etcd-healthcheck-client',
    ),
    clientCertificate(
      { cert: files.apiServerEtcdClientCert, key: files.apiServerEtcdClientKey },
      etcdCa,
      'kube-apiserver-etcd-client',
    ),
    {
      out: { cert: files.apiServerCert, key: files.apiServerKey },
      issuer: kubernetesCa,
      commonName: 'kube-apiserver',
      usage: 'server',
      dnsNames: [...API_SERVER_NAMES, node.name],
      ipAddresses: [layout.apiServer.host, node.address, '127.0.0.1'],
    },
  ];
}

function clientCertificate(
  out: KeyPair,
  issuer: KeyPair,
  commonName: string,
  organization?: string,
): CertificateRequest {
  return { out, issuer, commonName, usage: 'client', ...(organization ? { organization } : {}) };
}
