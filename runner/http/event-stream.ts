import type { Request, Response } from 'express';
import type { RunEventRecord } from '../../protocol/index.ts';
import type { RunRuntime } from '../runs/run-runtime.ts';

const HEARTBEAT_MS = 15_000;

// Server-Sent Events for one run: everything after Last-Event-ID (or from the start), then live.
export function streamRunEvents(runtime: RunRuntime, request: Request, response: Response): void {
  const header = request.headers['last-event-id'];
  const lastSeen = Number.parseInt(typeof header === 'string' ? header : '0', 10);
  const after = Number.isFinite(lastSeen) && lastSeen > 0 ? lastSeen : 0;
  response.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  response.flushHeaders();
  const send = (record: RunEventRecord) => {
    response.write(`id: ${record.seq}\nevent: run-event\ndata: ${JSON.stringify(record)}\n\n`);
  };
  for (const record of runtime.records) if (record.seq > after) send(record);
  const unsubscribe = runtime.subscribe(send);
  const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
  request.on('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
  });
}
