import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  environmentsFileCandidates,
  parseEnvironmentsFile,
  readEnvironmentLabels,
} from '../../../../runner/kube/environments.ts';
import { tempDir } from '../../../helpers/run-script.ts';

describe('environments.yaml', () => {
  it('labels contexts', () => {
    const parsed = parseEnvironmentsFile('contexts:\n  prod-eu: production\n  stage: staging\n', 'e.yaml');
    expect(parsed.contexts).toEqual({ 'prod-eu': 'production', stage: 'staging' });
  });

  it.each([
    ['contexts:\n  prod-eu: production\n  stage: prod\n', 'e.yaml:3: contexts.stage: Invalid option'],
    ['contexts:\n  a: staging\nlabels: {}\n', 'e.yaml:3: Unrecognized key: "labels"'],
    ['contexts: [\n  a\n', 'e.yaml:'],
    ['contexts: production\n', 'e.yaml:1: contexts: '],
  ])('names the file and line of a mistake in %j', (text, message) => {
    expect(() => parseEnvironmentsFile(text, 'e.yaml')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => parseEnvironmentsFile(text, 'e.yaml')).toThrow(message);
  });

  it('reads the state dir first, then the XDG config folder, and labels nothing without a file', async () => {
    const stateDir = await tempDir();
    const configHome = await tempDir();
    const candidates = environmentsFileCandidates(stateDir, { XDG_CONFIG_HOME: configHome });
    expect(candidates).toEqual([
      path.join(stateDir, 'environments.yaml'),
      path.join(configHome, 'drillbook', 'environments.yaml'),
    ]);
    expect(readEnvironmentLabels(candidates).labelOf('a')).toBeNull();
    await mkdir(path.join(configHome, 'drillbook'));
    await writeFile(candidates[1] as string, 'contexts:\n  a: staging\n');
    expect(readEnvironmentLabels(candidates).labelOf('a')).toBe('staging');
    await writeFile(candidates[0] as string, 'contexts:\n  a: production\n');
    expect(readEnvironmentLabels(candidates)).toMatchObject({ file: candidates[0] });
    expect(readEnvironmentLabels(candidates).labelOf('a')).toBe('production');
  });
});
