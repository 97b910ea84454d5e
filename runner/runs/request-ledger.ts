import { RunnerError } from '../errors.ts';

const REMEMBERED = 1000;

// The answers to requests that carried an idempotency key, per run, so that a request sent again
// (a retry, a double click, a replayed tab) gets the first answer instead of acting twice. Kept in
// memory only: a restart of the runner forgets them, and a run remembers its last 1000 keys.
export class RequestLedger<T> {
  readonly #answers = new Map<string, { scope: string; answer: Promise<T> }>();

  // Answers with the first answer given to `key`, or calls `act` now, synchronously, and keeps its answer.
  answer(key: string, scope: string, act: () => Promise<T>): Promise<T> {
    const known = this.#answers.get(key);
    if (known) {
      if (known.scope !== scope)
        throw new RunnerError('BAD_REQUEST', `this idempotency key was already used for ${known.scope}`);
      return known.answer;
    }
    const answer = act();
    answer.catch(() => undefined);
    this.#answers.set(key, { scope, answer });
    if (this.#answers.size > REMEMBERED) this.#answers.delete(this.#answers.keys().next().value as string);
    return answer;
  }
}
