import { randomUUID } from 'node:crypto';
import type { CreateRunBody, RunEndStatus } from '../../protocol/index.ts';
import { matchesWholeValue } from '../../protocol/index.ts';
import type { OutputLimits } from '../attempts/output-pipeline.ts';
import { RunnerError } from '../errors.ts';
import type { StepExecutor } from '../execution/step-executor.ts';
import type { KubeContexts } from '../kube/kube-contexts.ts';
import { guardStepTarget } from '../kube/step-guard.ts';
import type { ManifestIndex } from '../manifest/manifest-index.ts';
import { assertNoNul, assertOneLine, findVariable } from '../manifest/runbook-variables.ts';
import { runPreflight } from '../preflight/run-preflight.ts';
import { warnIfTooShort } from '../secrets/secret-warnings.ts';
import type { RunStore } from '../store/run-store.ts';
import { createRun } from './create-run.ts';
import { RunDiscovery } from './discover-runs.ts';
import type { RunRuntime } from './run-runtime.ts';
import { startStep } from './start-step.ts';

export interface RunServiceOptions {
  manifest: ManifestIndex;
  store: RunStore;
  executors: StepExecutor[];
  /** The kube contexts runs are pinned to. */
  contexts: KubeContexts;
  env: Record<string, string | undefined>;
  limits: OutputLimits;
  graceMs: number;
  log: (message: string, error?: unknown) => void;
}

// The run commands, one method each; every change is journaled before it is acknowledged.
export class RunService {
  readonly #options: RunServiceOptions;
  readonly #runs = new Map<string, RunRuntime>();
  /** Runs being created here, whose folder exists before the service holds them. */
  readonly #creating = new Set<string>();
  readonly #discovery: RunDiscovery;

  constructor(options: RunServiceOptions) {
    this.#options = options;
    this.#discovery = new RunDiscovery(options.store, {
      has: (runId) => this.#runs.has(runId) || this.#creating.has(runId),
      current: (runId) => this.#runs.get(runId),
      adopt: (runtime) => this.adopt(runtime),
    });
  }

  // Picks up runs another process (drill run) wrote into the state folder since the last look.
  discover(): Promise<void> {
    return this.#discovery.scan();
  }

  get manifest(): ManifestIndex {
    return this.#options.manifest;
  }

  get contexts(): KubeContexts {
    return this.#options.contexts;
  }

  adopt(runtime: RunRuntime): void {
    this.#runs.set(runtime.id, runtime);
  }

  list(): RunRuntime[] {
    return [...this.#runs.values()].sort((a, b) => b.state.createdAt.localeCompare(a.state.createdAt));
  }

  // Masks every secret any run knows: for the runner's own log.
  mask(text: string): string {
    let masked = text;
    for (const runtime of this.#runs.values()) masked = runtime.masker.mask(masked);
    return masked;
  }

  get(runId: string): RunRuntime {
    const runtime = this.#runs.get(runId);
    if (!runtime) throw new RunnerError('NOT_FOUND', `no run "${runId}"`);
    return runtime;
  }

  // The one place a create-run body is parsed: the API hands it over as it came.
  async create(body: CreateRunBody): Promise<RunRuntime> {
    const runId = `${new Date().toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`;
    this.#creating.add(runId);
    try {
      return await createRun(this.#options, runId, body, {
        adopt: (runtime) => this.adopt(runtime),
        nodeExecutor: this.#nodeExecutor(),
      });
    } finally {
      this.#creating.delete(runId);
    }
  }

  // Checks the runbook's requirements again, e.g. after the operator installed a tool.
  async preflight(runId: string): Promise<void> {
    const runtime = this.#activeRun(runId);
    if (runtime.running) throw new RunnerError('STEP_BUSY', `step "${runtime.running.stepId}" is still running`);
    const kubeconfigFile = this.#options.store.pathsOf(runId).kubeconfig;
    const runbook = this.manifest.runbook(runtime.state.runbook.slug);
    await guardStepTarget(this.contexts, {
      pinned: runtime.state.target,
      mode: runtime.state.mode,
      step: null,
      confirmCluster: undefined,
      kubeconfigFile,
    });
    await runPreflight(runtime, runbook, {
      env: this.#options.env,
      kubeconfigFile,
      nodeExecutor: this.#nodeExecutor(),
    });
  }

  #nodeExecutor() {
    return this.#options.executors.find((executor) => executor.target === 'node');
  }

  // Runs on despite a failed preflight item; the reason is part of the record.
  async overridePreflight(runId: string, itemId: string, reason: string): Promise<void> {
    const runtime = this.#activeRun(runId);
    const item = runtime.state.preflight.get(itemId);
    if (!item) throw new RunnerError('NOT_FOUND', `run "${runId}" has no preflight item "${itemId}"`);
    if (item.passed)
      throw new RunnerError('BAD_REQUEST', `preflight item "${item.label}" passed; there is nothing to override`);
    await runtime.record({ type: 'preflight-overridden', itemId, reason: runtime.masker.mask(reason) });
  }

  // Validates and starts a step; resolves once it is recorded as started. The step runs on. With
  // a request id, a request sent again gets the first answer and starts nothing.
  async runStep(
    runId: string,
    stepId: string,
    stepHash: string,
    requestId?: string,
    confirmCluster?: string,
    pod?: string,
  ): Promise<{ attempt: number }> {
    const runtime = this.get(runId);
    const start = async () => {
      this.#activeRun(runId);
      return startStep(runtime, this.#options, { stepId, stepHash, confirmCluster, pod });
    };
    if (requestId === undefined) return start();
    return runtime.runRequests.answer(requestId, `step "${stepId}"`, start);
  }

  async cancel(runId: string, stepId: string): Promise<void> {
    const runtime = this.get(runId);
    if (runtime.running?.stepId !== stepId) throw new RunnerError('BAD_REQUEST', `step "${stepId}" is not running`);
    runtime.running.controller.abort();
    await runtime.running?.done;
  }

  async skip(runId: string, stepId: string, reason: string): Promise<void> {
    const runtime = this.#activeRun(runId);
    this.manifest.step(runtime.state.runbook.slug, stepId);
    if (runtime.running?.stepId === stepId)
      throw new RunnerError('STEP_BUSY', `step "${stepId}" is running; cancel it first`);
    await runtime.record({ type: 'step-skipped', stepId, reason: runtime.masker.mask(reason) });
  }

  async override(runId: string, name: string, value: string, reason: string): Promise<void> {
    const runtime = this.#activeRun(runId);
    const secret = this.#isSecret(runtime, name);
    assertNoNul(name, value);
    if (secret) runtime.masker.register(value);
    await runtime.record({
      type: 'value-overridden',
      name,
      value: secret ? { secret: true } : { secret: false, value },
      reason: runtime.masker.mask(reason),
    });
    if (secret) await this.#keepSecret(runtime, name, value);
  }

  async choose(runId: string, name: string, index: number): Promise<void> {
    const runtime = this.#activeRun(runId);
    const choice = runtime.state.choices.get(name);
    if (!choice) throw new RunnerError('NOT_A_CHOICE', `{{${name}}} has no candidates to choose from`);
    const raw = choice.secret ? runtime.secretCandidates.get(name) : choice.candidates;
    const value = raw?.[index];
    if (value === undefined) {
      throw new RunnerError(
        'NOT_A_CHOICE',
        choice.secret && !raw
          ? `the candidates of {{${name}}} were lost in a restart; run step "${choice.stepId}" again`
          : `{{${name}}} has no candidate ${index}`,
      );
    }
    await runtime.record({
      type: 'candidate-chosen',
      name,
      value: choice.secret ? { secret: true } : { secret: false, value },
    });
    runtime.secretCandidates.delete(name);
    if (choice.secret) await this.#keepSecret(runtime, name, value);
  }

  async acknowledge(runId: string, stepId: string, value: string | undefined): Promise<void> {
    const runtime = this.#activeRun(runId);
    const step = this.manifest.step(runtime.state.runbook.slug, stepId);
    if (step.kind !== 'manual') throw new RunnerError('BAD_REQUEST', `step "${stepId}" is a command: run it instead`);
    const input = step.input;
    if (input && value === undefined)
      throw new RunnerError('INVALID_VALUE', `step "${stepId}" asks for ${input.label}`);
    if (!input && value !== undefined) throw new RunnerError('INVALID_VALUE', `step "${stepId}" takes no value`);
    if (input && value !== undefined) {
      assertOneLine(input.name, value);
      if (input.pattern && !matchesWholeValue(input.pattern, value)) {
        throw new RunnerError('INVALID_VALUE', `${input.label} must match /${input.pattern}/ as a whole`);
      }
      if (input.secret) runtime.masker.register(value);
    }
    await runtime.record({
      type: 'manual-acknowledged',
      stepId,
      value:
        input && value !== undefined
          ? { name: input.name, recorded: input.secret ? { secret: true } : { secret: false, value } }
          : null,
    });
    if (input?.secret && value !== undefined) await this.#keepSecret(runtime, input.name, value);
  }

  async note(runId: string, text: string): Promise<void> {
    const runtime = this.get(runId);
    await runtime.record({ type: 'note-added', text: runtime.masker.mask(text) });
  }

  async end(runId: string, status: RunEndStatus): Promise<void> {
    const runtime = this.#activeRun(runId);
    if (runtime.running) throw new RunnerError('STEP_BUSY', `step "${runtime.running.stepId}" is still running`);
    await runtime.record({ type: 'run-ended', status });
  }

  // Cancels every running step and waits for each to be recorded as canceled.
  async shutdown(): Promise<void> {
    const running = this.list().flatMap((runtime) => (runtime.running ? [runtime.running] : []));
    for (const step of running) step.controller.abort();
    await Promise.all(running.map((step) => step.done));
  }

  // A secret joins the run's values once its record is written; a short one gets a warning.
  async #keepSecret(runtime: RunRuntime, name: string, value: string): Promise<void> {
    runtime.registerSecret(name, value);
    await warnIfTooShort(runtime, name, value);
  }

  #activeRun(runId: string): RunRuntime {
    const runtime = this.get(runId);
    if (runtime.state.status !== 'active')
      throw new RunnerError('RUN_ENDED', `run "${runId}" is ${runtime.state.status}`);
    return runtime;
  }

  #isSecret(runtime: RunRuntime, name: string): boolean {
    const variable = findVariable(this.manifest.findRunbook(runtime.state.runbook.slug), name);
    if (!variable)
      throw new RunnerError('NOT_FOUND', `runbook "${runtime.state.runbook.slug}" has no variable {{${name}}}`);
    return variable.secret || Boolean(runtime.state.values.get(name)?.secret);
  }
}
