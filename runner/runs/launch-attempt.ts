import type { RunningStep, RunRuntime } from './run-runtime.ts';

type Attempt = (signal: AbortSignal, onStarted: () => void) => Promise<void>;

// Claims the run for one attempt at once, before anything is awaited, so a second request finds it
// busy; then starts the attempt. Resolves once the start is recorded; rejects, with the run free
// again, when the attempt failed before that. A failure after the start goes to `log`.
export function launchAttempt(
  runtime: RunRuntime,
  stepId: string,
  attempt: Attempt,
  log: (error: unknown) => void,
): Promise<void> {
  const controller = new AbortController();
  let isStarted = false;
  let markStarted = () => {};
  let failStart = (_error: unknown) => {};
  const started = new Promise<void>((resolve, reject) => {
    markStarted = resolve;
    failStart = reject;
  });
  const claim: RunningStep = { stepId, controller, done: Promise.resolve() };
  runtime.running = claim;
  claim.done = attempt(controller.signal, () => {
    isStarted = true;
    markStarted();
  })
    .catch((error: unknown) => {
      if (isStarted) log(error);
      else failStart(error);
    })
    .finally(() => {
      if (runtime.running === claim) runtime.running = undefined;
    });
  return started;
}
