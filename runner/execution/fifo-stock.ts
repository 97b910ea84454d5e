import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BATCH = 32;

export type FifoPair = readonly [stdout: string, stderr: string];

// FIFOs made ahead, in batches, in a folder only the runner's user may enter: a step takes a pair
// without waiting for `mkfifo`, a child process whose spawn costs more than the step's own bash.
// The pairs are made while steps run; when none is ready, one is made on the spot.
class FifoStock {
  #directory: string | undefined;
  #made = 0;
  readonly #ready: FifoPair[] = [];
  #refilling = false;

  take(): FifoPair {
    const pair = this.#ready.shift() ?? this.#makeNow();
    if (this.#ready.length < BATCH / 2) this.#refill();
    return pair;
  }

  // Forgets the folder, as when something removed it: the next pairs go to a new one.
  reset(): void {
    this.#ready.length = 0;
    if (this.#directory) rmSync(this.#directory, { recursive: true, force: true });
    this.#directory = undefined;
  }

  #makeNow(): FifoPair {
    const pair = this.#name();
    execFileSync('mkfifo', ['-m', '600', ...pair], { stdio: 'ignore' });
    return pair;
  }

  #refill(): void {
    if (this.#refilling) return;
    this.#refilling = true;
    const pairs = Array.from({ length: BATCH }, () => this.#name());
    const directory = this.#directory;
    const child = execFile('mkfifo', ['-m', '600', ...pairs.flat()], (error) => {
      this.#refilling = false;
      if (!error && directory === this.#directory) this.#ready.push(...pairs);
    });
    child.unref();
  }

  #name(): FifoPair {
    this.#directory ??= this.#open();
    const id = this.#made++;
    return [path.join(this.#directory, `${id}.out`), path.join(this.#directory, `${id}.err`)];
  }

  #open(): string {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'drillbook-output-'));
    process.once('exit', () => rmSync(directory, { recursive: true, force: true }));
    return directory;
  }
}

export const fifoStock = new FifoStock();
