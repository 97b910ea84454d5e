import type { Controller } from './controller.ts';

const DEBOUNCE_MS = 25;

// Runs one controller's reconcile never twice at once: a trigger during a run queues exactly one
// more run; a burst of watch events collapses into one.
export class ReconcileLoop {
  readonly #controller: Controller;
  readonly #log: (message: string, error?: unknown) => void;
  #timer: NodeJS.Timeout | undefined;
  #resync: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(controller: Controller, log: (message: string, error?: unknown) => void) {
    this.#controller = controller;
    this.#log = log;
  }

  start(): void {
    this.trigger();
    this.#resync = setInterval(() => this.trigger(), this.#controller.resyncMs);
  }

  trigger(): void {
    if (this.#stopped || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#run();
    }, DEBOUNCE_MS);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearInterval(this.#resync);
    await this.#running;
  }

  #run(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#controller
      .reconcile()
      .catch((error: unknown) => this.#log(`${this.#controller.name}: reconcile failed`, error))
      .finally(() => {
        this.#running = undefined;
        if (this.#again && !this.#stopped) {
          this.#again = false;
          this.trigger();
        }
      });
  }
}
