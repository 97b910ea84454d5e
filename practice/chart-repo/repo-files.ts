import path from 'node:path';
import type { DaemonFiles, PracticeLayout } from '../layout.ts';

export interface ChartRepoFiles extends DaemonFiles {
  /** The loopback address the repository listens on, in the cluster's own subnet. */
  host: string;
  /** What the repository serves: index.yaml and the packaged charts. */
  servedDir: string;
  cert: string;
  key: string;
  /** The CA that signed the serving certificate: `helm repo add --ca-file`. */
  caCert: string;
  /** Written by the server once it listens: its URL, with the port the system gave it. */
  urlFile: string;
}

const CHART_REPO_HOST_OCTET = 20;

// Where the practice chart repository keeps its files, beside the rest of the cluster's state.
export function chartRepoFiles(layout: PracticeLayout): ChartRepoFiles {
  const [first] = layout.nodes;
  if (!first) throw new Error('the practice layout has no nodes');
  const root = path.join(layout.root, 'chart-repo');
  return {
    host: `${layout.subnet}.${CHART_REPO_HOST_OCTET}`,
    servedDir: path.join(root, 'served'),
    cert: path.join(root, 'tls', 'chart-repo.crt'),
    key: path.join(root, 'tls', 'chart-repo.key'),
    caCert: first.files.caCert,
    urlFile: path.join(layout.runDir, 'chart-repo.url'),
    logFile: path.join(layout.runDir, 'chart-repo.log'),
    pidFile: path.join(layout.runDir, 'chart-repo.pid'),
  };
}
