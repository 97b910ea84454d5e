import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Manifest, ManifestSchema } from '../../protocol/index.ts';
import { type BuildOutcome, buildRunbooks, stageRunbooks } from '../helpers/astro-build.ts';
import { FIXTURES, ROOT } from '../helpers/fixtures.ts';

describe('building the good fixture and the tutorial', () => {
  let build: BuildOutcome;
  let manifest: Manifest;
  let page: string;

  beforeAll(async () => {
    const dir = await stageRunbooks([
      path.join(FIXTURES, 'good-runbooks/every-block.mdx'),
      path.join(ROOT, 'content/runbooks/getting-started.mdx'),
    ]);
    build = await buildRunbooks(dir);
    if (build.exitCode !== 0) throw new Error(build.output);
    manifest = ManifestSchema.parse(
      JSON.parse(await readFile(path.join(build.outDir, 'drillbook/manifest.json'), 'utf8')),
    );
    page = await readFile(path.join(build.outDir, 'runbooks/every-block/index.html'), 'utf8');
  });

  it('emits a manifest the protocol accepts, with both runbooks', () => {
    expect(manifest.runbooks.map((runbook) => runbook.slug).sort()).toEqual(['every-block', 'getting-started']);
  });

  it('renders every step with an anchor, a risk badge and its script', () => {
    const everyBlock = manifest.runbooks.find((runbook) => runbook.slug === 'every-block');
    for (const step of everyBlock?.steps ?? []) {
      expect(page).toContain(`id="step-${step.id}" data-step-id="${step.id}"`);
      expect(page).toContain(`href="#step-${step.id}"`);
      if (step.kind === 'command') expect(page).toContain(`data-step-script="${step.id}"`);
    }
    expect(page).toMatch(/<span class="db-risk" data-risk="destructive"[^>]*>Destructive<\/span>/);
    expect(page).toContain('<db-copy-button>');
  });

  it('renders variable references as placeholders in prose, inline code and commands', () => {
    const placeholder = (name: string) => `<var class="db-var" data-var="${name}" data-state="unknown"`;
    expect(page).toMatch(/Intro prose mentions <var class="db-var" data-var="namespace"/);
    expect(page).toMatch(
      /<code>kubectl -n <var class="db-var" data-var="namespace"[^>]*>\{\{namespace\}\}<\/var> get pods<\/code>/,
    );
    expect(page).toContain(placeholder('release'));
    expect(page).toContain(placeholder('changeTicket'));
    expect(page).not.toContain('DRILLBOOKVAR');
  });

  it('lists both runbooks in the catalog with their filter data', async () => {
    const catalog = await readFile(path.join(build.outDir, 'index.html'), 'utf8');
    expect(catalog).toContain('href="/runbooks/every-block/"');
    expect(catalog).toContain('href="/runbooks/getting-started/"');
    expect(catalog).toContain('data-tags="fixture backup"');
    expect(catalog).toContain('<db-catalog>');
  });

  it('keeps every script in a file, as the runner CSP (script-src self) requires', () => {
    expect(page).toMatch(/<script type="module" src="\/_astro\/[^"]+\.js"><\/script>/);
    // Only data blocks may be inline: the browser never runs application/json.
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)(?![^>]*type="application\/json")[^>]*>/);
    expect(page).toContain('<script type="application/json" id="db-runbook-data">');
  });

  it('renders the tutorial page', async () => {
    const tutorial = await readFile(path.join(build.outDir, 'runbooks/getting-started/index.html'), 'utf8');
    expect(tutorial).toContain('Getting started with Drillbook');
    expect(tutorial).toContain('data-step-id="clean-up" data-risk="destructive"');
  });
});

describe('building a bad runbook', () => {
  const CASES = [
    { fixture: 'unknown-prop', where: 'unknown-prop.mdx:7:40', code: 'invalid-props' },
    { fixture: 'duplicate-step-id', where: 'duplicate-step-id.mdx:15:7', code: 'duplicate-id' },
    { fixture: 'undefined-variable', where: 'undefined-variable.mdx:13:21', code: 'undefined-variable' },
    {
      fixture: 'variable-before-definition',
      where: 'variable-before-definition.mdx:10:13',
      code: 'variable-before-definition',
    },
    { fixture: 'bash-syntax', where: 'bash-syntax.mdx:12:1', code: 'bash-syntax' },
    { fixture: 'kubectl-watch', where: 'kubectl-watch.mdx:11:1', code: 'interactive-command' },
    { fixture: 'kubectl-exec-tty', where: 'kubectl-exec-tty.mdx:10:1', code: 'interactive-command' },
    { fixture: 'read-builtin', where: 'read-builtin.mdx:10:1', code: 'interactive-command' },
    { fixture: 'ssh-interactive', where: 'ssh-interactive.mdx:10:1', code: 'interactive-command' },
    { fixture: 'sh-c-double-evaluation', where: 'sh-c-double-evaluation.mdx:12:30', code: 'double-evaluation' },
    { fixture: 'kubectl-exec-bash-c', where: 'kubectl-exec-bash-c.mdx:12:53', code: 'double-evaluation' },
    { fixture: 'ssh-double-evaluation', where: 'ssh-double-evaluation.mdx:12:33', code: 'double-evaluation' },
    { fixture: 'eval-double-evaluation', where: 'eval-double-evaluation.mdx:12:6', code: 'double-evaluation' },
    {
      fixture: 'wrapped-shell-double-evaluation',
      where: 'wrapped-shell-double-evaluation.mdx:12:59',
      code: 'double-evaluation',
    },
    { fixture: 'source-double-evaluation', where: 'source-double-evaluation.mdx:12:41', code: 'double-evaluation' },
    { fixture: 'kubectl-global-flags', where: 'kubectl-global-flags.mdx:10:1', code: 'interactive-command' },
    { fixture: 'invalid-risk', where: 'invalid-risk.mdx:7:28', code: 'invalid-props' },
    { fixture: 'wrong-prop-type', where: 'wrong-prop-type.mdx:7:40', code: 'invalid-props' },
    { fixture: 'capture-without-extractor', where: 'capture-without-extractor.mdx:13:1', code: 'invalid-props' },
    { fixture: 'secret-default', where: 'secret-default.mdx:7:41', code: 'invalid-props' },
    { fixture: 'invalid-frontmatter', where: 'invalid-frontmatter.mdx:4:7', code: 'invalid-frontmatter' },
    { fixture: 'duplicate-variable', where: 'duplicate-variable.mdx:15:1', code: 'duplicate-variable' },
    { fixture: 'missing-script', where: 'missing-script.mdx:7:1', code: 'missing-script' },
    { fixture: 'unknown-block', where: 'unknown-block.mdx:7:1', code: 'unknown-block' },
    { fixture: 'misplaced-capture', where: 'misplaced-capture.mdx:15:1', code: 'misplaced-block' },
    { fixture: 'dynamic-expression', where: 'dynamic-expression.mdx:15:15', code: 'dynamic-expression' },
    { fixture: 'mdx-syntax', where: 'mdx-syntax.mdx:7:1', code: 'mdx-syntax' },
    { fixture: 'duplicate-explain', where: 'duplicate-explain.mdx:15:1', code: 'invalid-explain' },
    { fixture: 'fan-out-capture', where: 'fan-out-capture.mdx:13:1', code: 'fan-out-capture' },
    { fixture: 'no-shell-command', where: 'no-shell-command.mdx:10:21', code: 'no-shell-command' },
    { fixture: 'no-shell-secret', where: 'no-shell-secret.mdx:12:32', code: 'no-shell-secret' },
  ];

  it('covers every bad fixture', async () => {
    const files = await readdir(path.join(FIXTURES, 'bad-runbooks'));
    expect(files.map((file) => file.replace(/\.mdx$/, '')).sort()).toEqual(CASES.map((item) => item.fixture).sort());
  });

  it.each(CASES)('$fixture fails the build at $where', async ({ fixture, where, code }) => {
    const dir = await stageRunbooks([path.join(FIXTURES, `bad-runbooks/${fixture}.mdx`)]);
    const build = await buildRunbooks(dir);
    expect(build.exitCode).not.toBe(0);
    expect(build.output).toMatch(new RegExp(`${where.replace(/\./g, '\\.')} error ${code}: `));
    expect(build.output).toMatch(/\n\s+hint: \S/);
    expect(build.output).not.toContain('generating static routes');
  });
});
