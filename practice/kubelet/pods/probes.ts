import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { V1Container, V1Probe } from '@kubernetes/client-node';

export interface ProbeTarget {
  podIP: string;
  container: V1Container;
  /** Runs argv in the container and answers its exit code; rejects on timeout. */
  exec(argv: string[], timeoutMs: number): Promise<number>;
}

// One probe attempt (exec, tcpSocket or httpGet) as kubelet makes it: success is exit code 0, an
// accepted connection, or an HTTP status from 200 to 399.
export async function runProbe(probe: V1Probe, target: ProbeTarget): Promise<boolean> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  try {
    if (probe.exec) return (await target.exec(probe.exec.command ?? [], timeoutMs)) === 0;
    if (probe.tcpSocket) {
      const port = resolvePort(probe.tcpSocket.port, target.container);
      return await connects(probe.tcpSocket.host || target.podIP, port, timeoutMs);
    }
    if (probe.httpGet) {
      const { httpGet } = probe;
      const url = new URL(
        `${(httpGet.scheme ?? 'HTTP').toLowerCase()}://${httpGet.host || target.podIP}:${resolvePort(httpGet.port, target.container)}`,
      );
      url.pathname = httpGet.path ?? '/';
      const headers = Object.fromEntries((httpGet.httpHeaders ?? []).map((header) => [header.name, header.value]));
      const status = await requestStatus(url, headers, timeoutMs);
      return status >= 200 && status < 400;
    }
  } catch {
    return false;
  }
  return false;
}

function resolvePort(port: number | string | object, container: V1Container): number {
  if (typeof port === 'number') return port;
  const named = container.ports?.find((item) => item.name === String(port));
  return named?.containerPort ?? Number(port);
}

function connects(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: timeoutMs });
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(false));
  });
}

function requestStatus(url: URL, headers: Record<string, string>, timeoutMs: number): Promise<number> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const request = client.get(
      url,
      { headers, timeout: timeoutMs, agent: false, rejectUnauthorized: false },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(0));
  });
}

export interface ProbeLoopOptions {
  probe: V1Probe;
  target: ProbeTarget;
  /** Called when the probe's verdict changes (after successThreshold / failureThreshold attempts). */
  onResult(success: boolean): void;
  signal: AbortSignal;
}

// Probes every periodSeconds after initialDelaySeconds until aborted, reporting each change of
// verdict; a probe starts with no verdict, so the first settled result is always reported.
export async function runProbeLoop(options: ProbeLoopOptions): Promise<void> {
  const { probe, signal } = options;
  const period = (probe.periodSeconds ?? 10) * 1000;
  let verdict: boolean | null = null;
  let successes = 0;
  let failures = 0;
  try {
    await delay((probe.initialDelaySeconds ?? 0) * 1000, undefined, { signal });
    while (!signal.aborted) {
      const success = await runProbe(probe, options.target);
      if (signal.aborted) return;
      successes = success ? successes + 1 : 0;
      failures = success ? 0 : failures + 1;
      const settled =
        success && successes >= (probe.successThreshold ?? 1)
          ? true
          : !success && failures >= (probe.failureThreshold ?? 3)
            ? false
            : null;
      if (settled !== null && settled !== verdict) {
        verdict = settled;
        options.onResult(settled);
      }
      await delay(period, undefined, { signal });
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}
