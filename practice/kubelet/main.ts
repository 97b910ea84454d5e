// The practice cluster's kubelet for one node: `node practice/kubelet/main.ts --state-dir DIR
// --hostname-override cp-1`. `npm run practice -- up` starts one per node. It runs the node's
// static pods at once, even while the API server is still unreachable (it needs etcd, which is
// one of them), then registers the Node, keeps its Lease, runs the pods bound to it and reports
// their status. On SIGTERM it stops every container it runs, then exits.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { practiceLayout } from '../layout.ts';
import { Kubelet } from './kubelet.ts';
import { kubeletFiles } from './kubelet-paths.ts';
import { nfsExportsDir } from './kubelet-setup.ts';
import { sweepContainerRecords } from './runtime/container-process.ts';
import { createKubeletServer } from './server/kubelet-server.ts';
import { watchStaticPods } from './sources/static-pods.ts';

const FlagsSchema = z.object({ 'state-dir': z.string().min(1), 'hostname-override': z.string().min(1) });
const { values } = parseArgs({
  options: { 'state-dir': { type: 'string' }, 'hostname-override': { type: 'string' } },
  strict: true,
});
const flags = FlagsSchema.parse(values);
const layout = practiceLayout(flags['state-dir']);
const node = layout.nodes.find((item) => item.name === flags['hostname-override']);
if (!node) throw new Error(`no practice node named ${flags['hostname-override']}`);
const files = kubeletFiles(layout, node);
const log = (message: string) => console.error(`${new Date().toISOString()} ${message}`);

const leftovers = await sweepContainerRecords(files.containersDir);
if (leftovers.length > 0)
  log(`ended ${leftovers.length} container(s) left by a previous kubelet: ${leftovers.join(', ')}`);

const kubelet = new Kubelet({ layout, node, files, nfsExportsDir: nfsExportsDir(layout) });
const stopStaticPods = watchStaticPods(files.manifestsDir, node.name, (pods) => {
  log(`static pods: ${pods.map((pod) => pod.metadata?.name).join(', ') || 'none'}`);
  kubelet.setStaticPods(pods);
});

const server = createKubeletServer(kubelet, {
  certFile: files.servingCert,
  keyFile: files.servingKey,
  clientCaFile: node.files.caCert,
});
server.listen(files.port, files.address, () => log(`kubelet API on https://${files.address}:${files.port}`));

// The API client is loaded after the static pods are started: it takes most of a second to import.
const { connectToApiServer } = await import('./api/api-connection.ts');
const disconnect = await connectToApiServer({ kubelet, node, files, log });

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  log('stopping: ending every container');
  stopStaticPods();
  disconnect();
  server.close();
  server.closeAllConnections();
  await kubelet.shutdown();
  await sweepContainerRecords(files.containersDir);
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
