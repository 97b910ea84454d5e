import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEventRecord } from '../../protocol/index.ts';
import { MASK } from '../../runner/secrets/masker.ts';
import { finished, followEvents, type RunnerApi, startApp } from '../helpers/runner-app.ts';

const PASSWORD = `S3cr3t p@ss/w+rd='q"%é:~x`;
const RUNBOOK = 'secret-encodings';
const STEP = 'print-encoded';

let runner: RunnerApi;

beforeAll(async () => {
  runner = await startApp();
});
afterAll(() => runner.stop());

// The run of base64 digits that comes from the password alone, after `before` in the same input.
function base64Run(before: string, secret: string, toUrl = false): string {
  const offset = Buffer.byteLength(before) % 3;
  const bytes = Buffer.from(secret);
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
  const run = encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
  return toUrl ? run.replace(/\+/g, '-').replace(/\//g, '_') : run;
}

function percentEncode(text: string, kept: string, lower = false): string {
  return [...text]
    .map((character) =>
      /[A-Za-z0-9._-]/.test(character) || kept.includes(character)
        ? character
        : [...Buffer.from(character)]
            .map((byte) => `%${byte.toString(16).padStart(2, '0')}`)
            .map((hex) => (lower ? hex : hex.toUpperCase()))
            .join(''),
    )
    .join('');
}

function bashQuoted(script: string): string {
  return spawnSync('bash', ['-c', script, 'bash', PASSWORD], {
    env: { ...process.env, LC_ALL: 'C.UTF-8' },
  }).stdout.toString();
}

// Every form the step prints, as the part that comes from the password alone.
function leakedForms(): Record<string, string> {
  const hex = Buffer.from(PASSWORD).toString('hex');
  return {
    plain: PASSWORD,
    'basic auth': base64Run('root:', PASSWORD),
    'wrapped base64': base64Run('user=admin-with-a-long-name&realm=production-eu-west&password=', PASSWORD),
    base64url: base64Run('x', PASSWORD, true),
    encodeURIComponent: encodeURIComponent(PASSWORD),
    encodeURI: percentEncode(PASSWORD, "!~*'();/?:@&=+$,#"),
    'python quote, lower-case hex': percentEncode(PASSWORD, '~/', true),
    'printf %q': bashQuoted('printf %q "$1"'),
    '@Q': bashQuoted(`printf %s "\${1@Q}"`).slice(1, -1),
    'JSON string': JSON.stringify(PASSWORD).slice(1, -1),
    'JSON with \\u and \\/': JSON.stringify(PASSWORD)
      .slice(1, -1)
      .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
      .replace(/\//g, '\\/'),
    hex,
    'upper-case hex': hex.toUpperCase(),
  };
}

// A form may be split by a line break, or written inside JSON (the journal, the JSON export).
function expectNoForm(name: string, text: string): void {
  const flattened = text.replace(/\\r|\\n|\r|\n/g, '');
  for (const [form, value] of Object.entries(leakedForms())) {
    for (const written of [value, JSON.stringify(value).slice(1, -1)]) {
      expect(flattened, `${form} in ${name}`).not.toContain(written.replace(/\r|\n/g, ''));
    }
  }
}

function stepHashOf(stepId: string): string {
  const step = runner.manifest.runbooks.find((runbook) => runbook.slug === RUNBOOK)?.steps.find((s) => s.id === stepId);
  if (!step) throw new Error(`no step ${stepId}`);
  return step.hash;
}

describe('a secret printed in the encodings people use', () => {
  it('is masked in the event stream, the journal, the step log, both exports and the runner log', async () => {
    const created = await runner.api('POST', '/api/runs', {
      runbook: RUNBOOK,
      operator: 'ana',
      params: { password: PASSWORD },
    });
    expect(created.status, created.body).toBe(201);
    const runId = (created.json() as { id: string }).id;
    const chunks: string[] = [];
    const events = followEvents(runner, runId, finished(STEP), { onChunk: (text) => chunks.push(text) });
    const started = await runner.api('POST', `/api/runs/${runId}/steps/${STEP}/run`, { stepHash: stepHashOf(STEP) });
    expect(started.status, started.body).toBe(202);
    const records: RunEventRecord[] = await events;
    const output = records.map(({ event }) => (event.type === 'output' ? event.text : '')).join('');

    for (const label of [
      'plain:',
      'basic: Authorization: Basic',
      'wrapped:',
      'encodeURI:',
      'printf-q:',
      'at-q:',
      'xxd:',
    ]) {
      expect(output).toContain(label);
    }
    expect(output).toContain(`encodeURIComponent: ${MASK}\n`);
    expect(output).toContain(`python-quote: ${MASK}\n`);
    expect(output).toContain(`hex: ${MASK}\n`);
    expect(output.split(MASK).length - 1).toBe(14);

    const runDir = path.join(runner.stateDir, 'runs', runId);
    const places: Record<string, string> = {
      'the output events': output,
      'the event stream': chunks.join(''),
      'the journal': await readFile(path.join(runDir, 'journal.jsonl'), 'utf8'),
      'the step log': await readFile(path.join(runDir, 'logs', `${STEP}.1.log`), 'utf8'),
      'the Markdown export': (await runner.api('GET', `/api/runs/${runId}/export.md`)).body,
      'the JSON export': (await runner.api('GET', `/api/runs/${runId}/export.json`)).body,
      'the runner log': runner.logs(),
    };
    expect(places['the step log']).toContain(MASK);
    for (const [name, text] of Object.entries(places)) expectNoForm(name, text);
  });
});
