import type { Watch } from '@kubernetes/client-node';
import type { WatchedResource } from './controller.ts';

const RETRY_MS = 1000;
const RESUME_MS = 100;

interface WatchEventObject {
  metadata?: { resourceVersion?: string };
  code?: number;
}

// Keeps one watch open on a collection and calls onChange for every event; when the watch ends it
// resumes from the last resourceVersion seen, or from scratch after an error such as 410 Gone.
export class ResourceWatch {
  readonly #watch: Watch;
  readonly #path: WatchedResource;
  readonly #onChange: () => void;
  readonly #log: (message: string, error?: unknown) => void;
  #abort: AbortController | undefined;
  #retry: NodeJS.Timeout | undefined;
  #resourceVersion: string | undefined;
  #stopped = false;

  constructor(
    watch: Watch,
    path: WatchedResource,
    onChange: () => void,
    log: (message: string, error?: unknown) => void,
  ) {
    this.#watch = watch;
    this.#path = path;
    this.#onChange = onChange;
    this.#log = log;
  }

  async start(): Promise<void> {
    if (this.#stopped) return;
    let failed = false;
    this.#abort = await this.#watch.watch(
      this.#path,
      { resourceVersion: this.#resourceVersion, allowWatchBookmarks: true },
      (type: string, object: WatchEventObject) => {
        if (type === 'ERROR') {
          failed = true;
          this.#resourceVersion = undefined;
          return;
        }
        this.#resourceVersion = object.metadata?.resourceVersion ?? this.#resourceVersion;
        if (type !== 'BOOKMARK') this.#onChange();
      },
      (error: unknown) => {
        if (this.#stopped) return;
        if (error || failed) {
          this.#resourceVersion = undefined;
        }
        const quiet = !error || (error instanceof Error && error.name === 'TimeoutError');
        if (!quiet) this.#log(`watch ${this.#path} ended; restarting`, error);
        this.#retry = setTimeout(() => void this.start(), quiet ? RESUME_MS : RETRY_MS);
      },
    );
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retry);
    this.#abort?.abort();
  }
}
