import type { RunEvent } from '../../protocol/index.ts';
import type { SecretMasker } from '../secrets/masker.ts';

// What an attempt may do to its run, and nothing more: write events to the run's journal, mask
// with the run's secrets, and keep the secrets it captures. The run's runtime is one such run.
export interface AttemptRun {
  /** Journals the event first; rejects, with nothing applied, when it could not be written. */
  record(event: RunEvent, options?: { durable: boolean }): Promise<unknown>;
  readonly masker: SecretMasker;
  /** A secret joins the run's values (its record is written) and its masker. */
  registerSecret(name: string, value: string): void;
  /** Raw candidates of a secret capture, kept until the operator chooses one. */
  readonly secretCandidates: Map<string, string[]>;
}
