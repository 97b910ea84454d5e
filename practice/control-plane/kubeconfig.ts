import { readFile, writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { ClientCredentials, PracticeLayout } from '../layout.ts';

export const ADMIN_CONTEXT = 'drillbook-practice';
export const VIEWER_CONTEXT = 'drillbook-practice-viewer';
const CLUSTER = 'drillbook-practice';

interface KubeconfigUser {
  name: string;
  credentials: ClientCredentials;
}

// The operator's kubeconfig (contexts drillbook-practice and drillbook-practice-viewer) and each
// node's admin.conf as kubeadm writes it; all self-contained, with the CA and keys embedded.
export async function writeKubeconfigs(layout: PracticeLayout): Promise<void> {
  const [first] = layout.nodes;
  if (!first) return;
  const caData = await base64Of(first.files.caCert);
  const admin = { name: 'kubernetes-admin', credentials: layout.users.admin };
  const viewer = { name: 'drillbook-viewer', credentials: layout.users.viewer };
  const practice = await renderKubeconfig(layout, caData, CLUSTER, [
    { context: ADMIN_CONTEXT, user: admin },
    { context: VIEWER_CONTEXT, user: viewer },
  ]);
  await writeFile(layout.kubeconfig, practice, { mode: 0o600 });
  const adminConf = await renderKubeconfig(layout, caData, 'kubernetes', [
    { context: 'kubernetes-admin@kubernetes', user: admin },
  ]);
  await Promise.all(layout.nodes.map((node) => writeFile(node.files.adminConf, adminConf, { mode: 0o600 })));
}

async function renderKubeconfig(
  layout: PracticeLayout,
  caData: string,
  cluster: string,
  contexts: { context: string; user: KubeconfigUser }[],
): Promise<string> {
  const users = await Promise.all(
    contexts.map(async ({ user }) => ({
      name: user.name,
      user: {
        'client-certificate-data': await base64Of(user.credentials.cert),
        'client-key-data': await base64Of(user.credentials.key),
      },
    })),
  );
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server: layout.apiServer.url, 'certificate-authority-data': caData } }],
    contexts: contexts.map(({ context, user }) => ({
      name: context,
      context: { cluster, user: user.name, namespace: 'default' },
    })),
    'current-context': contexts[0]?.context ?? '',
    preferences: {},
    users,
  });
}

async function base64Of(file: string): Promise<string> {
  return (await readFile(file)).toString('base64');
}
