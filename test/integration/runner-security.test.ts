import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { link, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileInline, stepBlock } from '../helpers/fixtures.ts';
import { tempDir } from '../helpers/run-script.ts';
import { finished, followEvents, type HttpResult, type RunnerApi, startApp, stepHash } from '../helpers/runner-app.ts';

let runner: RunnerApi;
let runId: string;
let marker: string;

beforeAll(async () => {
  runner = await startApp();
  marker = path.join(await tempDir(), 'spawned');
  const created = await runner.api('POST', '/api/runs', {
    runbook: 'runner-fixture',
    operator: 'ana',
    params: { markerFile: marker },
  });
  expect(created.status).toBe(201);
  runId = (created.json() as { id: string }).id;
});

afterAll(() => runner.stop());

// A request to run the step that would create the marker file, with the given changes.
function attack(changes: { headers?: Record<string, string | undefined>; body?: string; query?: string }) {
  const headers: Record<string, string | undefined> = {
    host: `127.0.0.1:${runner.port}`,
    origin: `http://127.0.0.1:${runner.port}`,
    'x-drillbook-token': runner.token,
    'content-type': 'application/json',
    ...changes.headers,
  };
  const defined = Object.fromEntries(
    Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return runner.raw({
    method: 'POST',
    path: `/api/runs/${runId}/steps/touch-marker/run${changes.query ?? ''}`,
    headers: defined,
    body: changes.body ?? JSON.stringify({ stepHash: stepHash(runner, 'touch-marker') }),
  });
}

describe('the runner refuses requests that do not come from its own page', () => {
  it.each([
    ['a forged Host (DNS rebinding)', { headers: { host: 'evil.example:80' } }, 403, 'FORBIDDEN_HOST'],
    ['a look-alike Host', { headers: { host: `127.0.0.1.evil.example:${0}` } }, 403, 'FORBIDDEN_HOST'],
    ['a foreign Origin', { headers: { origin: 'http://evil.example' } }, 403, 'FORBIDDEN_ORIGIN'],
    ['Origin: null', { headers: { origin: 'null' } }, 403, 'FORBIDDEN_ORIGIN'],
    ['a look-alike Origin', { headers: { origin: `http://127.0.0.1:${0}.evil.example` } }, 403, 'FORBIDDEN_ORIGIN'],
    ['no Origin on a mutation', { headers: { origin: undefined } }, 403, 'FORBIDDEN_ORIGIN'],
    ['cross-site fetch metadata', { headers: { 'sec-fetch-site': 'cross-site' } }, 403, 'FORBIDDEN_ORIGIN'],
    ['no token', { headers: { 'x-drillbook-token': undefined } }, 401, 'UNAUTHORIZED'],
    ['a wrong token', { headers: { 'x-drillbook-token': 'A'.repeat(43) } }, 401, 'UNAUTHORIZED'],
    [
      'the token in the query instead of a header',
      { headers: { 'x-drillbook-token': undefined }, query: 'TOKEN' },
      401,
      'UNAUTHORIZED',
    ],
    ['a text/plain body', { headers: { 'content-type': 'text/plain' } }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [
      'a form body',
      { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'stepHash=x' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
  ])('%s → %i, nothing spawned', async (_name, changes, status, code) => {
    const request = changes as { headers?: Record<string, string | undefined>; body?: string; query?: string };
    if (request.query) request.query = `?token=${runner.token}`;
    const response = await attack(request);
    expect(response.status).toBe(status);
    expect(response.json()).toMatchObject({ code });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses the event stream without the token and from another origin', async () => {
    const base = { method: 'GET', path: `/api/runs/${runId}/events` };
    expect((await runner.raw({ ...base, headers: { host: `127.0.0.1:${runner.port}` } })).status).toBe(401);
    const foreign = await runner.raw({
      ...base,
      headers: { host: `127.0.0.1:${runner.port}`, origin: 'http://evil.example', 'x-drillbook-token': runner.token },
    });
    expect(foreign.status).toBe(403);
  });

  it('then runs the same request when it is right, proving the marker test can fail', async () => {
    const response = await attack({});
    expect(response.status).toBe(202);
    for (let i = 0; i < 50 && !existsSync(marker); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(marker)).toBe(true);
  });

  it('checks the Host of static pages too', async () => {
    const forged = await runner.raw({ method: 'GET', path: '/', headers: { host: 'rebind.evil.example' } });
    expect(forged.status).toBe(403);
    const own = await runner.raw({
      method: 'GET',
      path: '/api/runbooks',
      headers: { host: `localhost:${runner.port}`, 'x-drillbook-token': runner.token },
    });
    expect(own.status).toBe(200);
  });

  it('sends security headers and keeps the token file private', async () => {
    const response = await runner.api('GET', '/api/runbooks');
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect((await stat(path.join(runner.stateDir, 'token'))).mode & 0o777).toBe(0o600);
    expect(runner.logs()).not.toMatch(/[?&]token=/);
  });

  it('answers bad requests with 4xx and what was wrong', async () => {
    const badJson = await runner.raw({
      method: 'POST',
      path: '/api/runs',
      headers: {
        host: `127.0.0.1:${runner.port}`,
        origin: `http://127.0.0.1:${runner.port}`,
        'x-drillbook-token': runner.token,
        'content-type': 'application/json',
      },
      body: '{not json',
    });
    expect(badJson.status).toBe(400);
    const unknownRunbook = await runner.api('POST', '/api/runs', { runbook: 'nope', operator: 'ana' });
    expect(unknownRunbook.status).toBe(404);
    const badParam = await runner.api('POST', '/api/runs', {
      runbook: 'runner-fixture',
      operator: 'ana',
      params: { bytes: 'ten' },
    });
    expect(badParam.status).toBe(422);
    expect(badParam.json()).toMatchObject({ code: 'INVALID_VALUE', message: 'Bytes must match /^[0-9]+$/' });
    const extraField = await runner.api('POST', '/api/runs', {
      runbook: 'runner-fixture',
      operator: 'ana',
      command: 'rm -rf /',
    });
    expect(extraField.status).toBe(400);
  });
});

describe('log downloads serve only the logs the runner wrote', () => {
  const logDir = () => path.join(runner.stateDir, 'runs', runId, 'logs');
  const getLog = (name: string) => runner.api('GET', `/api/runs/${runId}/logs/${name}`);
  const expectRefused = (response: HttpResult) => {
    expect([400, 404]).toContain(response.status);
    expect(response.json()).toMatchObject({ code: expect.stringMatching(/^(NOT_FOUND|BAD_REQUEST)$/) });
    expect(response.body).not.toContain(runner.token);
    expect(response.body).not.toContain('root:');
  };

  it('serves a real log, with colours kept and other terminal controls made visible', async () => {
    await writeFile(
      path.join(logDir(), 'echo-word.7.log'),
      'line \x1b[32mgreen\x1b[0m\n\x1b]52;c;cm0gLXJmIH4=\x07copied\x1b[2Aup\x9b2Jc1\rover\n',
    );
    const response = await getLog('echo-word.7.log');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.body).toBe(
      'line \x1b[32mgreen\x1b[0m\n\\x1b]52;c;cm0gLXJmIH4=\\x07copied\\x1b[2Aup\\x9b2Jc1\\x0dover\n',
    );
  });

  it('refuses a symlink to the runner token and to /etc/passwd', async () => {
    await symlink(path.join(runner.stateDir, 'token'), path.join(logDir(), 'echo-word.21.log'));
    await symlink('/etc/passwd', path.join(logDir(), 'echo-word.22.log'));
    await symlink('../../../token', path.join(logDir(), 'echo-word.23.log'));
    for (const name of ['echo-word.21.log', 'echo-word.22.log', 'echo-word.23.log']) expectRefused(await getLog(name));
  });

  it('refuses a hard link to the runner token', async () => {
    await link(path.join(runner.stateDir, 'token'), path.join(logDir(), 'echo-word.24.log'));
    expectRefused(await getLog('echo-word.24.log'));
  });

  it('refuses a FIFO without hanging', async () => {
    execFileSync('mkfifo', [path.join(logDir(), 'echo-word.25.log')]);
    expectRefused(await getLog('echo-word.25.log'));
  });

  it('refuses a log folder that was replaced by a symlink', async () => {
    const created = await runner.api('POST', '/api/runs', { runbook: 'runner-fixture', operator: 'ana' });
    const otherRun = (created.json() as { id: string }).id;
    const outside = await tempDir();
    await writeFile(path.join(outside, 'echo-word.1.log'), `outside ${runner.token}`);
    const folder = path.join(runner.stateDir, 'runs', otherRun, 'logs');
    await rm(folder, { recursive: true });
    await symlink(outside, folder);
    expectRefused(await runner.api('GET', `/api/runs/${otherRun}/logs/echo-word.1.log`));
  });

  it.each([
    '..%2f..%2f..%2ftoken',
    '%2e%2e%2f%2e%2e%2f%2e%2e%2ftoken',
    '%2e%2e',
    '..',
    '.%2e',
    'echo-word.1.log%2f..%2f..%2f..%2ftoken',
    '%2fetc%2fpasswd',
    'echo-word.1.log%00',
    '..%5c..%5ctoken',
    'token',
  ])('refuses the name %s', async (name) => {
    expectRefused(await getLog(name));
  });

  it('answers malformed percent-encoding in any route with 400 and a JSON error, logging no stack', async () => {
    for (const route of [
      `/api/runs/${runId}/logs/%ff`,
      `/api/runs/${runId}/logs/%E0%A4%A`,
      '/api/runs/%ff',
      '/api/runs/%c0%af/events',
      `/api/runs/${runId}/values/%ff/override`,
    ]) {
      const response = route.endsWith('override')
        ? await runner.api('POST', route, { value: 'x', reason: 'y' })
        : await runner.api('GET', route);
      expect(response.status, route).toBe(400);
      expect(response.json()).toMatchObject({ code: 'BAD_REQUEST' });
    }
    expect(runner.logs()).not.toMatch(/URIError|Failed to decode/);
  });
});

describe('a value is never an option by surprise', () => {
  it('refuses to run a step where a value beginning with "-" would be an option, and spawns nothing', async () => {
    const created = await runner.api('POST', '/api/runs', {
      runbook: 'runner-fixture',
      operator: 'ana',
      params: { word: '--kubeconfig=/tmp/evil' },
    });
    const dashRun = (created.json() as { id: string }).id;
    const response = await runner.api('POST', `/api/runs/${dashRun}/steps/echo-word/run`, {
      stepHash: stepHash(runner, 'echo-word'),
    });
    expect(response.status).toBe(422);
    expect(response.json()).toMatchObject({
      code: 'RENDER_REFUSED',
      message: expect.stringContaining('step "echo-word": the value of {{word}} begins with "-"'),
      details: { variable: 'word', stepId: 'echo-word', command: 'printf' },
    });
    expect(response.body).not.toContain('/tmp/evil');
    const view = (await runner.api('GET', `/api/runs/${dashRun}`)).json() as {
      steps: { id: string; status: string; attempt: number }[];
    };
    expect(view.steps.find((step) => step.id === 'echo-word')).toMatchObject({ status: 'pending', attempt: 0 });
  });
});

describe('mayStartWithDash', () => {
  const runbook = [
    '<Param name="flags" label="Flags" mayStartWithDash />',
    '<Param name="plain" label="Plain" />',
    stepBlock(
      "printf '%s\\n' -- '-captured' '-also'",
      'id="make" title="Make" risk="read"',
      '<Capture name="dashed" regex="^(-c.*)$" flags="m" mayStartWithDash />\n<Capture name="undeclared" regex="^(-a.*)$" flags="m" />',
    ),
    '<Manual id="enter" title="Enter" value="entered" mayStartWithDash>\nType it.\n</Manual>\n',
    stepBlock("printf '<%s>' {{flags}} {{dashed}} {{entered}}", 'id="declared" title="Declared" risk="read"'),
    stepBlock('echo {{undeclared}}', 'id="captured-undeclared" title="Undeclared capture" risk="read"'),
    stepBlock('echo {{plain}}', 'id="param-undeclared" title="Undeclared param" risk="read"'),
  ].join('\n');

  it('is carried from the props into the manifest and lets exactly the declared values through', async () => {
    const compiled = await compileInline(runbook, 'dash.mdx');
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
    const spec = compiled.runbook;
    expect(spec.params.map((param) => [param.name, param.mayStartWithDash])).toEqual([
      ['flags', true],
      ['plain', undefined],
    ]);
    const steps = new Map(spec.steps.map((step) => [step.id, step]));
    const make = steps.get('make');
    expect(make?.kind === 'command' && make.captures.map((capture) => capture.mayStartWithDash)).toEqual([
      true,
      undefined,
    ]);
    const enter = steps.get('enter');
    expect(enter?.kind === 'manual' && enter.input?.mayStartWithDash).toBe(true);

    const file = path.join(await tempDir(), 'manifest.json');
    await writeFile(file, JSON.stringify({ schemaVersion: 1, runbooks: [spec] }));
    const dashRunner = await startApp({ manifestFile: file });
    try {
      const created = await dashRunner.api('POST', '/api/runs', {
        runbook: spec.slug,
        operator: 'ana',
        params: { flags: '-n', plain: '-x' },
      });
      const id = (created.json() as { id: string }).id;
      const run = (stepId: string) =>
        dashRunner.api('POST', `/api/runs/${id}/steps/${stepId}/run`, { stepHash: stepHash(dashRunner, stepId) });
      const made = followEvents(dashRunner, id, finished('make'));
      expect((await run('make')).status).toBe(202);
      await made;
      expect((await dashRunner.api('POST', `/api/runs/${id}/steps/enter/acknowledge`, { value: '-e' })).status).toBe(
        204,
      );
      const declared = followEvents(dashRunner, id, finished('declared'));
      expect((await run('declared')).status).toBe(202);
      const output = (await declared).map(({ event }) =>
        event.type === 'output' && event.stepId === 'declared' ? event.text : '',
      );
      expect(output.join('')).toBe('<-n><-captured><-e>');
      expect((await run('captured-undeclared')).json()).toMatchObject({ details: { variable: 'undeclared' } });
      expect((await run('param-undeclared')).json()).toMatchObject({ details: { variable: 'plain' } });
    } finally {
      await dashRunner.stop();
    }
  });
});
