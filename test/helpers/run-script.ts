import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { encodeValues, type RenderOptions, renderScript, withPrologue } from '../../runner/execution/render-script.ts';
import { type ProcessRequest, type ProcessResult, runProcess } from '../../runner/execution/run-process.ts';

export interface ScriptRun extends ProcessResult {
  stdout: Buffer;
  stderr: Buffer;
  cwd: string;
}

export async function tempDir(prefix = 'drillbook-test-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

// Renders a step template with values and runs it the way the runner does.
export async function runTemplate(
  template: string,
  values: Record<string, string> = {},
  options: Partial<Omit<ProcessRequest, 'program' | 'valuesPayload' | 'onOutput'>> = {},
  renderOptions: RenderOptions = {},
): Promise<ScriptRun> {
  const map = new Map(Object.entries(values));
  const rendered = await renderScript(template, map, renderOptions);
  const cwd = options.cwd ?? (await tempDir());
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const result = await runProcess({
    program: withPrologue(rendered),
    valuesPayload: encodeValues(rendered.variables, map),
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8' },
    timeoutMs: 30_000,
    idleTimeoutMs: null,
    graceMs: 500,
    ...options,
    onOutput: (stream, chunk) => {
      (stream === 'stdout' ? stdout : stderr).push(chunk);
    },
  });
  return { ...result, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr), cwd };
}
