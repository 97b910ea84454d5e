import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { type DrillFile, DrillFileSchema } from '../../protocol/index.ts';
import { ROOT } from '../helpers/fixtures.ts';

export type DrillAnswers = DrillFile['runbooks'][number]['answers'];

// A drill as its author wrote it (content/drills/NAME.yaml): the tests take the reference answers
// and the criteria from there instead of copying them.
export async function readDrillFile(name: string): Promise<DrillFile> {
  const source = await readFile(path.join(ROOT, 'content/drills', `${name}.yaml`), 'utf8');
  return DrillFileSchema.parse(parse(source));
}
