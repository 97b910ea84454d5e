import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTable, usePracticeCluster } from '../helpers/practice-cluster.ts';

// Server-side apply and helm releases against the practice API server, with the real kubectl and helm.
const practice = usePracticeCluster('apiserver-apply');
const kubectlOk = (args: string[], input?: string) => practice().kubectlOk(args, input);

describe('server-side apply', () => {
  const manifest = (value: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared}\ndata: {owned: "${value}", other: "x"}\n`;

  it('tracks field managers, reports a conflict, and takes the field with --force-conflicts', async () => {
    expect(await kubectlOk(['apply', '--server-side', '-f', '-'], manifest('1'))).toBe(
      'configmap/shared serverside-applied',
    );
    const conflict = await practice().kubectl(['apply', '--server-side', '--field-manager=rival', '-f', '-'], {
      input: manifest('2'),
    });
    expect(conflict.exitCode).toBe(1);
    expect(conflict.stderr).toContain(
      'error: Apply failed with 1 conflict:\n- conflict with "kubectl" using v1: .data.owned\n',
    );
    await kubectlOk(['apply', '--server-side', '--field-manager=rival', '--force-conflicts', '-f', '-'], manifest('2'));
    const object = JSON.parse(await kubectlOk(['get', 'cm', 'shared', '-o', 'json', '--show-managed-fields'])) as {
      data: Record<string, string>;
      metadata: { managedFields: { manager: string; operation: string; fieldsV1: { 'f:data': object } }[] };
    };
    expect(object.data).toEqual({ owned: '2', other: 'x' });
    const managers = Object.fromEntries(
      object.metadata.managedFields.map((entry) => [entry.manager, Object.keys(entry.fieldsV1['f:data']).sort()]),
    );
    expect(managers).toEqual({ kubectl: ['f:other'], rival: ['f:other', 'f:owned'] });
  });
});

describe('helm', () => {
  let chart: string;

  beforeAll(async () => {
    chart = path.join(practice().stateDir, 'chart');
    await mkdir(path.join(chart, 'templates'), { recursive: true });
    await writeFile(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: practice-demo\nversion: 0.1.0\n');
    await writeFile(path.join(chart, 'values.yaml'), 'message: hello\n');
    await writeFile(
      path.join(chart, 'templates', 'app.yaml'),
      [
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "{{ .Release.Name }}-config"}\ndata: {message: {{ .Values.message | quote }}}',
        'apiVersion: v1\nkind: Service\nmetadata: {name: "{{ .Release.Name }}-svc"}\nspec: {selector: {app: demo}, ports: [{port: 80}]}',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: "{{ .Release.Name }}-web"}\nspec: {selector: {matchLabels: {app: demo}}, template: {metadata: {labels: {app: demo}}, spec: {containers: [{name: web, image: nginx:1.27}]}}}',
      ].join('\n---\n'),
    );
  });

  for (const version of [3, 4] as const) {
    it(`installs, lists, upgrades, rolls back and uninstalls a local chart with helm ${version}`, async () => {
      const release = `demo${version}`;
      const helm = async (args: string[]) => {
        const result = await practice().helm([...args, '--namespace', 'default'], { version });
        expect(result.exitCode, `helm ${args.join(' ')}\n${result.stderr}`).toBe(0);
        return result.stdout;
      };
      const message = () => kubectlOk(['get', 'cm', `${release}-config`, '-o', 'jsonpath={.data.message}']);
      expect(await helm(['install', release, chart])).toContain('STATUS: deployed');
      expect(parseTable(await helm(['list']))).toContainEqual(
        expect.objectContaining({ NAME: release, REVISION: '1', STATUS: 'deployed', CHART: 'practice-demo-0.1.0' }),
      );
      await helm(['upgrade', release, chart, '--set', 'message=bye']);
      expect(await message()).toBe('bye');
      expect(await helm(['rollback', release, '1'])).toContain('Rollback was a success!');
      expect(await message()).toBe('hello');
      expect(parseTable(await helm(['history', release])).map((row) => row.STATUS)).toEqual([
        'superseded',
        'superseded',
        'deployed',
      ]);
      expect(await helm(['uninstall', release])).toContain(`release "${release}" uninstalled`);
      const left = await kubectlOk(['get', 'cm,svc,deploy,secrets', '-o', 'name']);
      expect(left).not.toContain(release);
    });
  }
});
