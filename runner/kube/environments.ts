import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML, { LineCounter } from 'yaml';
import { z } from 'zod';
import { type Environment, EnvironmentSchema } from '../../protocol/index.ts';
import { RunnerError } from '../errors.ts';

// environments.yaml: which environment each kube context belongs to. The practice cluster's
// contexts are always "practice", whatever this file says.
export const EnvironmentsFileSchema = z.strictObject({
  contexts: z.record(z.string().min(1), EnvironmentSchema).default({}),
});
export type EnvironmentsFile = z.output<typeof EnvironmentsFileSchema>;

export interface EnvironmentLabels {
  /** The file the labels came from; null when there is none. */
  file: string | null;
  labelOf(context: string): Environment | null;
}

// Where the labels live: <state-dir>/environments.yaml, else
// $XDG_CONFIG_HOME/drillbook/environments.yaml (~/.config/drillbook/…).
export function environmentsFileCandidates(stateDir: string, env: Record<string, string | undefined>): string[] {
  const configHome = env.XDG_CONFIG_HOME ?? path.join(env.HOME ?? os.homedir(), '.config');
  return [path.join(stateDir, 'environments.yaml'), path.join(configHome, 'drillbook', 'environments.yaml')];
}

// Reads the first environments file that exists; read again on every use, so an edit applies to
// the next step. A bad file is an error naming the file and line.
export function readEnvironmentLabels(candidates: string[]): EnvironmentLabels {
  const file = candidates.find((candidate) => existsSync(candidate)) ?? null;
  if (file === null) return { file, labelOf: () => null };
  const parsed = parseEnvironmentsFile(readFileSync(file, 'utf8'), file);
  return { file, labelOf: (context) => parsed.contexts[context] ?? null };
}

// Parses the file's text; errors say `file:line: what is wrong`.
export function parseEnvironmentsFile(text: string, file: string): EnvironmentsFile {
  const lines = new LineCounter();
  const document = YAML.parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const syntax = document.errors[0];
  if (syntax) {
    const line = lines.linePos(syntax.pos[0]).line;
    throw configError(file, line, syntax.message.split('\n')[0] ?? 'invalid YAML');
  }
  const result = EnvironmentsFileSchema.safeParse(document.toJS() ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  const located = issue.code === 'unrecognized_keys' ? [...issue.path, ...issue.keys.slice(0, 1)] : issue.path;
  const node = nodeAt(document, located);
  const line = node?.range ? lines.linePos(node.range[0]).line : 1;
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw configError(file, line, `${where}${issue.message}`);
}

function nodeAt(document: YAML.Document, issuePath: PropertyKey[]): { range?: [number, number, number] | null } | null {
  for (let length = issuePath.length; length >= 0; length--) {
    const node = document.getIn(issuePath.slice(0, length) as unknown[], true) as
      | { range?: [number, number, number] | null }
      | undefined;
    if (node && typeof node === 'object') return node;
  }
  return null;
}

function configError(file: string, line: number, message: string): RunnerError {
  return new RunnerError('CONFIG_INVALID', `${file}:${line}: ${message}`, { details: { file, line } });
}
