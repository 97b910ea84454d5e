import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { link, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/run-script.ts';
import { type HttpResult, type RunnerApi, startApp, stepHash } from '../helpers/runner-app.ts';

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
    expect(badParam.json()).toMatchObject({
      code: 'INVALID_VALUE',
      message: 'Bytes (bytes) must match /^[0-9]+$/ as a whole',
    });
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
