import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { V1Container, V1ContainerStatus, V1Pod, V1PodCondition, V1PodStatus } from '@kubernetes/client-node';
import type { KubeletFiles } from '../kubelet-paths.ts';
import { containerRecordName } from '../kubelet-paths.ts';
import { type PodNetwork, resolveContainerEnv } from './container-env.ts';
import { ContainerRunner } from './container-runner.ts';
import { etcHostsFile } from './etc-hosts.ts';
import { computePodStatus } from './pod-status.ts';
import { containerMounts, prepareVolumes, type VolumeReader } from './pod-volumes.ts';

export interface PodWorkerContext {
  files: KubeletFiles;
  nodeRoot: string;
  nfsExportsDir: string;
  reader: VolumeReader;
  network: PodNetwork;
  /** The pod's own network namespace (none for a hostNetwork pod): made before its containers start. */
  sandboxNetwork: { create(): Promise<string | null>; remove(): Promise<void> };
  /** Writes the pod's hosts file before its containers start. */
  prepareHosts(worker: PodWorker): Promise<void>;
  onChange(worker: PodWorker): void;
}

const VOLUME_RETRY_MS = 2000;

// Runs one pod: sets up its volumes, runs its init containers one after another, then all its
// containers together, and reports the pod's status whenever a container's state changes.
export class PodWorker {
  readonly pod: V1Pod;
  readonly context: PodWorkerContext;
  readonly startTime = new Date();
  #initRunners: ContainerRunner[] = [];
  #runners: ContainerRunner[] = [];
  #volumes: Map<string, string> | null = null;
  #netns: string | null = null;
  #initialized = false;
  #initFailed = false;
  #conditions: V1PodCondition[] = [];
  #stopping = new AbortController();
  readonly #started: Promise<void>;

  constructor(pod: V1Pod, context: PodWorkerContext) {
    this.pod = pod;
    this.context = context;
    this.#started = this.#run().catch((error: unknown) => console.error(`pod ${this.key}: ${String(error)}`));
  }

  get uid(): string {
    return this.pod.metadata?.uid ?? '';
  }

  get key(): string {
    return `${this.pod.metadata?.namespace ?? 'default'}/${this.pod.metadata?.name ?? ''}`;
  }

  get podIP(): string {
    return this.context.network.podIP;
  }

  /** The pod's /etc/hosts on this machine; hostNetwork pods see the node's own. */
  get hostsFile(): string | null {
    return this.pod.spec?.hostNetwork ? null : etcHostsFile(this.context.files.podsDir, this.uid);
  }

  runner(name: string | undefined): ContainerRunner | undefined {
    const all = [...this.#runners, ...this.#initRunners];
    return name ? all.find((runner) => runner.context.container.name === name) : this.#runners[0];
  }

  // The folder holding <restartCount>.log for each run of a container.
  logDir(container: string): string {
    const { namespace = 'default', name = '' } = this.pod.metadata ?? {};
    return path.join(this.context.files.podLogsDir, `${namespace}_${name}_${this.uid}`, container);
  }

  status(): V1PodStatus {
    const spec = this.pod.spec;
    const placeholder = (container: V1Container, reason: string) => waitingStatus(container, reason);
    const initStatuses = (spec?.initContainers ?? []).map(
      (container, index) => this.#initRunners[index]?.status ?? placeholder(container, 'PodInitializing'),
    );
    const statuses = (spec?.containers ?? []).map(
      (container) =>
        this.#runners.find((runner) => runner.context.container.name === container.name)?.status ??
        placeholder(container, this.#volumes ? 'PodInitializing' : 'ContainerCreating'),
    );
    const status = computePodStatus({
      pod: this.pod,
      initStatuses,
      statuses,
      sandboxReady: this.#volumes !== null,
      initialized: this.#initialized,
      initFailed: this.#initFailed,
      podIP: this.context.network.podIP,
      hostIP: this.context.network.hostIP,
      startTime: this.startTime,
      previous: this.#conditions,
    });
    this.#conditions = status.conditions ?? [];
    return status;
  }

  // Stops every container (SIGTERM, then SIGKILL after the grace period) and waits for them.
  async stop(graceSeconds?: number): Promise<void> {
    this.#stopping.abort();
    const graceMs = (graceSeconds ?? this.pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000;
    await Promise.all([...this.#runners, ...this.#initRunners].map((runner) => runner.stop(graceMs)));
    await this.#started;
    await this.context.sandboxNetwork.remove();
  }

  async #run(): Promise<void> {
    this.#volumes = await this.#prepareVolumes();
    if (!this.#volumes) return;
    if (this.hostsFile) await this.context.prepareHosts(this);
    this.#netns = await this.context.sandboxNetwork.create();
    if (this.#stopping.signal.aborted) return;
    this.#changed();
    const policy = (this.pod.spec?.restartPolicy ?? 'Always') as 'Always' | 'OnFailure' | 'Never';
    for (const container of this.pod.spec?.initContainers ?? []) {
      const runner = this.#createRunner(container, policy === 'Never' ? 'Never' : 'OnFailure');
      this.#initRunners.push(runner);
      await runner.finished;
      if (this.#stopping.signal.aborted) return;
      if (runner.status.state?.terminated?.exitCode !== 0) {
        this.#initFailed = true;
        this.#changed();
        return;
      }
    }
    this.#initialized = true;
    if (this.#stopping.signal.aborted) return;
    this.#runners = (this.pod.spec?.containers ?? []).map((container) => this.#createRunner(container, policy));
    this.#changed();
  }

  async #prepareVolumes(): Promise<Map<string, string> | null> {
    const { context } = this;
    while (!this.#stopping.signal.aborted) {
      try {
        return await prepareVolumes(this.pod, {
          nodeRoot: context.nodeRoot,
          podsDir: context.files.podsDir,
          nfsExportsDir: context.nfsExportsDir,
          reader: context.reader,
          network: context.network,
        });
      } catch (error) {
        console.error(`pod ${this.key}: MountVolume failed: ${(error as Error).message}`);
        await delay(VOLUME_RETRY_MS, undefined, { signal: this.#stopping.signal }).catch(() => undefined);
      }
    }
    return null;
  }

  #createRunner(container: V1Container, restartPolicy: 'Always' | 'OnFailure' | 'Never'): ContainerRunner {
    const { files, nodeRoot, network, reader } = this.context;
    const { namespace = 'default', name = '' } = this.pod.metadata ?? {};
    const id = `${this.uid}-${container.name}`;
    const volumes = this.#volumes ?? new Map<string, string>();
    return new ContainerRunner({
      container,
      restartPolicy,
      podIP: network.podIP,
      netns: this.#netns,
      nodeRoot,
      logDir: this.logDir(container.name),
      logLink: path.join(files.containerLogLinksDir, `${name}_${namespace}_${container.name}.log`),
      recordFile: path.join(files.containersDir, containerRecordName(namespace, name, container.name)),
      sandboxDir: path.join(files.sandboxesDir, id),
      overlayWorkDir: path.join(nodeRoot, '.overlay-work', 'kubelet', id),
      graceMs: (this.pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000,
      resolveEnv: (image) => resolveContainerEnv(this.pod, container, image.env, reader, network),
      resolveMounts: async () => {
        const mounts = containerMounts(container, volumes);
        const hostsFile = this.hostsFile;
        if (hostsFile) mounts.push({ source: hostsFile, target: '/etc/hosts', readOnly: false });
        for (const mount of mounts) if (!existsSync(mount.source)) await mkdir(mount.source, { recursive: true });
        return mounts;
      },
      onChange: () => this.#changed(),
    });
  }

  #changed(): void {
    this.context.onChange(this);
  }
}

function waitingStatus(container: V1Container, reason: string): V1ContainerStatus {
  return {
    name: container.name,
    image: container.image ?? '',
    imageID: '',
    ready: false,
    started: false,
    restartCount: 0,
    state: { waiting: { reason } },
  };
}
