import { RunnerApi } from './api.ts';
import { h, must } from './dom.ts';
import { readToken } from './token.ts';

// <db-runs-list>: every run the runner knows, newest first, each a link back to its page.
class RunsList extends HTMLElement {
  async connectedCallback(): Promise<void> {
    const token = readToken();
    if (!token) return;
    must<HTMLElement>(this, '[data-offline]').hidden = true;
    const count = must<HTMLElement>(this, '[data-count]');
    count.hidden = false;
    try {
      const runs = await new RunnerApi(token).runs();
      count.textContent = `${runs.length} ${runs.length === 1 ? 'run' : 'runs'}`;
      must(this, '[data-runs]').replaceChildren(
        ...runs.map((run) =>
          h(
            'li',
            { 'data-run': run.id, 'data-status': run.status },
            h(
              'a',
              { href: `/runbooks/${run.runbook.slug}/?run=${encodeURIComponent(run.id)}` },
              `${run.runbook.title}`,
            ),
            h(
              'p',
              {},
              `${run.status} · ${run.progress.done}/${run.progress.total} steps · ${run.operator} · ${run.mode} · started ${new Date(run.createdAt).toLocaleString()}`,
            ),
          ),
        ),
      );
    } catch (error) {
      count.textContent = error instanceof Error ? error.message : String(error);
    }
  }
}

if (!customElements.get('db-runs-list')) customElements.define('db-runs-list', RunsList);
