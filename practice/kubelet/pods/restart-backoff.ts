// kubelet's crash-loop back-off, shortened for a practice cluster: 1 s doubling to 40 s (kubelet:
// 10 s to 5 min), forgotten once a container has run for a minute.
export class RestartBackoff {
  static readonly INITIAL_MS = 1000;
  static readonly MAX_MS = 40_000;
  static readonly RESET_AFTER_MS = 60_000;
  #nextMs = RestartBackoff.INITIAL_MS;

  next(): number {
    const current = this.#nextMs;
    this.#nextMs = Math.min(current * 2, RestartBackoff.MAX_MS);
    return current;
  }

  reset(): void {
    this.#nextMs = RestartBackoff.INITIAL_MS;
  }
}
