import { ApiError } from './api-error.ts';
import { h } from './dom.ts';

/** What the page knows of the runner: it answers, it refuses this page's key, or it does not answer. */
export type RunnerState = 'answering' | 'wrong-key' | 'unreachable';

let leaving = false;
addEventListener('pagehide', () => {
  leaving = true;
});
addEventListener('pageshow', () => {
  leaving = false;
});

// The runner refused the page's token: it was restarted (a new token) or the address lost its #token=….
export function isWrongKey(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'UNAUTHORIZED';
}

// A failure the page-wide banner already explains (a wrong key, a runner that does not answer).
export function isRunnerProblem(error: unknown): boolean {
  return isWrongKey(error) || (error instanceof ApiError && error.code === 'UNREACHABLE');
}

// The text a control shows for a failure; the runner's own problems are worded as the banner words them.
export function describeFailure(error: unknown): string {
  if (isWrongKey(error)) return WRONG_KEY_TEXT;
  if (error instanceof ApiError && error.code === 'UNREACHABLE') return unreachableText();
  return error instanceof Error ? error.message : String(error);
}

const WRONG_KEY_TEXT =
  "The runner does not know this page's key (it was restarted, or this address lost its #token=…). Open the address npm start printed, the one ending in #token=….";

function unreachableText(): string {
  return `The runner is not answering at ${location.origin}. Start it with npm start and open the address it prints.`;
}

// One banner at the top of the page while the runner refuses the page's key or does not answer;
// it goes away as soon as the runner answers this page again.
export function reportRunnerState(state: RunnerState): void {
  if (leaving && state === 'unreachable') return;
  const existing = document.querySelector<HTMLElement>('[data-runner-banner]');
  if (state === 'answering') {
    existing?.remove();
    return;
  }
  if (existing?.dataset.runnerBanner === state) return;
  const banner =
    state === 'wrong-key'
      ? h(
          'div',
          { class: 'db-runner-banner', role: 'alert', 'data-runner-banner': state },
          h('strong', {}, "The runner does not know this page's key."),
          ' It was restarted, or this address lost its ',
          h('code', {}, '#token=…'),
          '. Open the address ',
          h('code', {}, 'npm start'),
          ' printed, the one ending in ',
          h('code', {}, '#token=…'),
          '.',
        )
      : h(
          'div',
          { class: 'db-runner-banner', role: 'alert', 'data-runner-banner': state },
          h('strong', {}, `The runner is not answering at ${location.origin}.`),
          ' Start it with ',
          h('code', {}, 'npm start'),
          ' and open the address it prints. This notice goes away when the runner answers.',
        );
  if (existing) existing.replaceWith(banner);
  else (document.getElementById('main') ?? document.body).prepend(banner);
}
