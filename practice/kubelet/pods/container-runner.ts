import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { V1Container, V1ContainerState, V1ContainerStatus, V1Probe } from '@kubernetes/client-node';
import { containerArgv, type ImageBehaviour, missingProgram, resolveImage } from '../images.ts';
import { type ContainerProcess, startContainerProcess, stopContainerProcess } from '../runtime/container-process.ts';
import { enterContainerCommand, type SandboxMount, sandboxCommand } from '../runtime/sandbox.ts';
import { expandReferences } from './container-env.ts';
import { runProbeLoop } from './probes.ts';
import { RestartBackoff } from './restart-backoff.ts';

export interface ContainerContext {
  container: V1Container;
  restartPolicy: 'Always' | 'OnFailure' | 'Never';
  podIP: string;
  /** The pod's network namespace; null for a hostNetwork pod (the node's). */
  netns: string | null;
  nodeRoot: string;
  /** <node>/var/log/pods/<ns>_<pod>_<uid>/<container>: one <restartCount>.log per run. */
  logDir: string;
  /** The node's /var/log/containers/<pod>_<ns>_<container>.log, pointing at the current run's log. */
  logLink: string;
  recordFile: string;
  sandboxDir: string;
  overlayWorkDir: string;
  /** The pod's terminationGracePeriodSeconds, in ms. */
  graceMs: number;
  resolveEnv(image: ImageBehaviour): Promise<Record<string, string>>;
  resolveMounts(): Promise<SandboxMount[]>;
  onChange(): void;
}

// One container of a pod, supervised as kubelet does: pulled (resolved from the image table),
// configured, started, probed, and restarted after it exits as the pod's restartPolicy says, with a
// growing back-off. Its status is kept in the shape of a V1ContainerStatus.
export class ContainerRunner {
  readonly context: ContainerContext;
  #status: V1ContainerStatus;
  #process: ContainerProcess | null = null;
  #image: ImageBehaviour | null = null;
  #env: Record<string, string> = {};
  #stopping = new AbortController();
  #runAbort = new AbortController();
  #backoff = new RestartBackoff();
  readonly finished: Promise<void>;

  constructor(context: ContainerContext) {
    this.context = context;
    const { container } = context;
    this.#status = {
      name: container.name,
      image: container.image ?? '',
      imageID: '',
      ready: false,
      started: false,
      restartCount: 0,
      state: { waiting: { reason: 'ContainerCreating' } },
    };
    this.finished = this.#run();
  }

  get status(): V1ContainerStatus {
    return structuredClone(this.#status);
  }

  get pid(): number | null {
    return this.#process?.pid ?? null;
  }

  /** True once the container has ended for good (restartPolicy says no more runs). */
  get isDone(): boolean {
    return this.#status.state?.terminated !== undefined && this.#done;
  }

  #done = false;

  async stop(graceMs: number): Promise<void> {
    this.#stopping.abort();
    this.#runAbort.abort();
    const running = this.#process;
    if (running) await stopContainerProcess(running, graceMs);
    await this.finished;
  }

  // A command in the running container, for probes and the exec endpoint.
  exec(argv: string[]): ChildProcess | { error: string } {
    const running = this.#process;
    if (!running || !this.#image) return { error: `container ${this.context.container.name} is not running` };
    const missing = argv[0] === undefined ? 'no command' : missingProgram(this.#image, argv[0]);
    if (missing)
      return { error: `OCI runtime exec failed: exec failed: unable to start container process: ${missing}: unknown` };
    const command = enterContainerCommand(running.pid, argv);
    return spawn(command.file, command.args, { env: this.#env, stdio: 'pipe', detached: true });
  }

  async execForExitCode(argv: string[], timeoutMs: number): Promise<number> {
    const child = this.exec(argv);
    if ('error' in child) return 126;
    child.stdout?.resume();
    child.stderr?.resume();
    const exit = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
    const timedOut = await Promise.race([exit.then(() => false), delay(timeoutMs, true)]);
    if (timedOut && child.pid) process.kill(-child.pid, 'SIGKILL');
    return timedOut ? 1 : exit;
  }

  #set(state: V1ContainerState, changes: Partial<V1ContainerStatus> = {}): void {
    this.#status = { ...this.#status, ...changes, state };
    this.context.onChange();
  }

  async #waitBackoff(reason: string, message: string): Promise<boolean> {
    const waitMs = this.#backoff.next();
    this.#set({ waiting: { reason, message: message.replace('{delay}', `${Math.round(waitMs / 1000)}s`) } });
    try {
      await delay(waitMs, undefined, { signal: this.#stopping.signal });
      return true;
    } catch {
      return false;
    }
  }

  async #run(): Promise<void> {
    await Promise.resolve();
    const { container } = this.context;
    while (!this.#stopping.signal.aborted) {
      const image = resolveImage(container.image ?? '');
      if (!image) {
        const message = `Failed to pull image "${container.image}": the practice cluster has no registry; the images it runs are listed in practice/kubelet/README.md`;
        this.#set({ waiting: { reason: 'ErrImagePull', message } });
        if (!(await this.#pause(1000))) return;
        if (!(await this.#waitBackoff('ImagePullBackOff', `Back-off pulling image "${container.image}"`))) return;
        continue;
      }
      this.#image = image;
      this.#status.imageID = `${container.image}@practice`;
      let env: Record<string, string>;
      let mounts: SandboxMount[];
      try {
        env = await this.context.resolveEnv(image);
        mounts = await this.context.resolveMounts();
      } catch (error) {
        const reason = (error as { code?: string }).code ?? 'CreateContainerConfigError';
        if (!(await this.#waitBackoff(reason, (error as Error).message))) return;
        continue;
      }
      this.#env = env;
      const exit = await this.#runOnce(image, env, mounts);
      if (this.#stopping.signal.aborted) return;
      if (!this.#shouldRestart(exit)) {
        this.#done = true;
        this.context.onChange();
        return;
      }
      const crashMessage = `back-off {delay} restarting failed container=${container.name}`;
      if (!(await this.#waitBackoff('CrashLoopBackOff', crashMessage))) return;
      this.#status.restartCount = (this.#status.restartCount ?? 0) + 1;
    }
  }

  async #pause(ms: number): Promise<boolean> {
    try {
      await delay(ms, undefined, { signal: this.#stopping.signal });
      return true;
    } catch {
      return false;
    }
  }

  #shouldRestart(exitCode: number): boolean {
    const { restartPolicy } = this.context;
    return restartPolicy === 'Always' || (restartPolicy === 'OnFailure' && exitCode !== 0);
  }

  async #runOnce(image: ImageBehaviour, env: Record<string, string>, mounts: SandboxMount[]): Promise<number> {
    const { container } = this.context;
    const argv = containerArgv(image, container.command, container.args).map((arg) => expandReferences(arg, env));
    const containerID = `containerd://${randomBytes(32).toString('hex')}`;
    const startedAt = new Date();
    const missing = argv[0] === undefined ? 'no command specified' : missingProgram(image, argv[0]);
    if (missing) {
      const message = `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${missing}: unknown`;
      this.#set(
        {
          terminated: { exitCode: 128, reason: 'StartError', message, startedAt, finishedAt: new Date(), containerID },
        },
        { containerID },
      );
      this.#pushLastState();
      return 128;
    }
    const logFile = path.join(this.context.logDir, `${this.#status.restartCount ?? 0}.log`);
    await mkdir(this.context.sandboxDir, { recursive: true });
    await this.#linkLog(logFile);
    this.#runAbort = new AbortController();
    this.#process = await startContainerProcess({
      command: sandboxCommand({
        sandboxDir: this.context.sandboxDir,
        nodeRoot: this.context.nodeRoot,
        overlayWorkDir: this.context.overlayWorkDir,
        imageRootfs: image.rootfs,
        links: image.links,
        mounts,
        workingDir: container.workingDir || '/',
        argv,
        netns: this.context.netns,
      }),
      env,
      logFile,
      recordFile: this.context.recordFile,
    });
    this.#set({ running: { startedAt } }, { containerID, started: !container.startupProbe, ready: false });
    this.#startProbes();
    const exit = await this.#process.exited;
    this.#runAbort.abort();
    this.#process = null;
    await rm(this.context.recordFile, { force: true });
    await rm(this.context.sandboxDir, { recursive: true, force: true });
    await rm(this.context.overlayWorkDir, { recursive: true, force: true });
    const reason = exit.exitCode === 0 ? 'Completed' : 'Error';
    this.#set(
      { terminated: { exitCode: exit.exitCode, reason, startedAt, finishedAt: new Date(), containerID } },
      { ready: false, started: false },
    );
    this.#pushLastState();
    if (Date.now() - startedAt.getTime() > RestartBackoff.RESET_AFTER_MS) this.#backoff.reset();
    return exit.exitCode;
  }

  #pushLastState(): void {
    if (this.#status.state) this.#status.lastState = structuredClone(this.#status.state);
  }

  async #linkLog(logFile: string): Promise<void> {
    await mkdir(path.dirname(logFile), { recursive: true });
    await mkdir(path.dirname(this.context.logLink), { recursive: true });
    await rm(this.context.logLink, { force: true });
    await symlink(path.relative(path.dirname(this.context.logLink), logFile), this.context.logLink);
  }

  #startProbes(): void {
    const { container, podIP } = this.context;
    const signal = this.#runAbort.signal;
    const target = { podIP, container, exec: (argv: string[], ms: number) => this.execForExitCode(argv, ms) };
    const loop = (probe: V1Probe, onResult: (success: boolean) => void) =>
      void runProbeLoop({ probe, target, onResult, signal }).catch(() => undefined);
    const afterStart = () => {
      if (container.livenessProbe) loop(container.livenessProbe, (ok) => !ok && this.#killForProbe());
      if (container.readinessProbe) loop(container.readinessProbe, (ok) => this.#setReady(ok));
      else this.#setReady(true);
    };
    if (!container.startupProbe) {
      afterStart();
      return;
    }
    loop(container.startupProbe, (ok) => {
      if (!ok) {
        this.#killForProbe();
        return;
      }
      this.#status.started = true;
      afterStart();
    });
  }

  #setReady(ready: boolean): void {
    if (this.#status.ready === ready || !this.#status.state?.running) return;
    this.#status.ready = ready;
    this.context.onChange();
  }

  // A failed liveness or startup probe ends the run; restartPolicy decides what follows.
  #killForProbe(): void {
    const running = this.#process;
    this.#runAbort.abort();
    if (running) void stopContainerProcess(running, this.context.graceMs);
  }
}
