import path from 'node:path';
import { execa } from 'execa';
import { parseAllDocuments } from 'yaml';
import { CHARTS_DIR } from '../../practice/chart-repo/package-charts.ts';
import { ensureTools } from '../../practice/tools/pinned-tools.ts';

// Renders the practice etcd chart with the pinned helm 3 and reads the objects as the runbooks
// and the bitnami/etcd image read them.
export const CHART = path.join(CHARTS_DIR, 'etcd');
const NAMESPACE = 'dhns';

export interface KubeObject {
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: rendered manifests are read field by field
  [field: string]: any;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}

// stdin: piped in by bash, as the runbook pipes the password into `--set-file …=/dev/stdin`
// (Node's own child stdin is a socket, which /dev/stdin cannot reopen).
export async function render(release: string, args: string[] = [], stdin?: string) {
  const helmArgs = ['template', release, CHART, '--namespace', NAMESPACE, ...args];
  const { helm } = await ensureTools();
  const result = await execa('bash', ['-c', 'printf "%s" "$STDIN_TEXT" | "$0" "$@"', helm, ...helmArgs], {
    reject: false,
    env: { HOME: '/nonexistent', STDIN_TEXT: stdin ?? '' },
  });
  const objects = result.exitCode === 0 ? parseAllDocuments(result.stdout).map((doc) => doc.toJS() as KubeObject) : [];
  const find = (kind: string, name: string): KubeObject => {
    const found = objects.find((object) => object?.kind === kind && object.metadata.name === name);
    if (!found) throw new Error(`no ${kind} ${name} in: ${names(objects).join(', ')}`);
    return found;
  };
  return { ...result, objects, find, names: names(objects) };
}

export function names(objects: KubeObject[]): string[] {
  return objects.filter(Boolean).map((object) => `${object.kind}/${object.metadata.name}`);
}

export function etcdContainer(statefulSet: KubeObject) {
  return statefulSet.spec.template.spec.containers.find((container: { name: string }) => container.name === 'etcd');
}

export function envOf(container: { env: EnvVar[] }): Map<string, EnvVar> {
  return new Map(container.env.map((variable) => [variable.name, variable]));
}

export function envValue(container: { env: EnvVar[] }, name: string): string | undefined {
  return envOf(container).get(name)?.value;
}

export function mounts(container: { volumeMounts: { name: string; mountPath: string }[] }): Record<string, string> {
  return Object.fromEntries(container.volumeMounts.map((mount) => [mount.mountPath, mount.name]));
}

export function claims(statefulSet: KubeObject): Record<string, string> {
  const volumes: { name: string; persistentVolumeClaim?: { claimName: string } }[] =
    statefulSet.spec.template.spec.volumes;
  return Object.fromEntries(
    volumes.flatMap((volume) =>
      volume.persistentVolumeClaim ? [[volume.name, volume.persistentVolumeClaim.claimName]] : [],
    ),
  );
}
