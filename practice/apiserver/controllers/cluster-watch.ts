import type { EtcdStorage, StorageWatch, WatchEvent } from '../storage/etcd-storage.ts';

export type Reconcile = () => Promise<void>;

/** Which changes under the prefix concern a controller; all of them when left out. */
export type EventFilter = (event: WatchEvent) => boolean;

interface Subscription {
  prefix: string;
  reconcile: Reconcile;
  concerns: EventFilter;
}

const RESYNC_MS = 5000;
const DEBOUNCE_MS = 50;

// The cluster's own controllers: each reconciles its part of the cluster when something under its
// key prefix changes (a watch on /registry/), and every few seconds anyway, so that a lost watch,
// an etcd restart or a snapshot restore is caught up without anyone noticing.
export class ClusterWatch {
  readonly #storage: EtcdStorage;
  readonly #subscriptions: Subscription[] = [];
  readonly #pending = new Map<Reconcile, NodeJS.Timeout>();
  readonly #running = new Map<Reconcile, Promise<void>>();
  readonly #log: (message: string, error?: unknown) => void;
  #watch: StorageWatch | undefined;
  #resync: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(storage: EtcdStorage, log: (message: string, error?: unknown) => void) {
    this.#storage = storage;
    this.#log = log;
  }

  on(prefix: string, reconcile: Reconcile, concerns: EventFilter = () => true): void {
    this.#subscriptions.push({ prefix, reconcile, concerns });
  }

  async start(): Promise<void> {
    await this.#runAll();
    await this.#startWatch();
    this.#resync = setInterval(() => {
      void this.#runAll();
      void this.#startWatch();
    }, RESYNC_MS);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#resync);
    for (const timer of this.#pending.values()) clearTimeout(timer);
    await this.#watch?.cancel().catch(() => undefined);
    await Promise.allSettled(this.#running.values());
  }

  // Restarts the watch from the current revision: after a restore the revision may have gone back.
  async #startWatch(): Promise<void> {
    if (this.#stopped) return;
    try {
      const revision = await this.#storage.revision();
      const previous = this.#watch;
      this.#watch = await this.#storage.watch(
        '/registry/',
        revision,
        (event) => this.#dispatch(event),
        () => {
          this.#watch = undefined;
        },
      );
      await previous?.cancel().catch(() => undefined);
    } catch (error) {
      this.#log('the cluster watch could not start; retrying', error);
    }
  }

  #dispatch(event: WatchEvent): void {
    for (const subscription of this.#subscriptions) {
      if (event.key.startsWith(subscription.prefix) && subscription.concerns(event))
        this.#schedule(subscription.reconcile);
    }
  }

  #schedule(reconcile: Reconcile): void {
    if (this.#stopped || this.#pending.has(reconcile)) return;
    this.#pending.set(
      reconcile,
      setTimeout(() => {
        this.#pending.delete(reconcile);
        void this.#run(reconcile);
      }, DEBOUNCE_MS),
    );
  }

  async #run(reconcile: Reconcile): Promise<void> {
    const current = this.#running.get(reconcile);
    if (current) {
      await current;
      this.#schedule(reconcile);
      return;
    }
    const running = reconcile()
      .catch((error: unknown) => this.#log('a cluster controller failed; it runs again on the next change', error))
      .finally(() => this.#running.delete(reconcile));
    this.#running.set(reconcile, running);
    await running;
  }

  async #runAll(): Promise<void> {
    const reconciles = [...new Set(this.#subscriptions.map((item) => item.reconcile))];
    await Promise.all(reconciles.map((reconcile) => this.#run(reconcile)));
  }
}
