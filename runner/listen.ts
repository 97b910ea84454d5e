import type { Server } from 'node:http';
import type { Express } from 'express';
import type { RunnerConfig } from './config.ts';

// Listens on the configured port; when the default port is taken, takes any free one instead.
export async function listen(app: Express, config: RunnerConfig): Promise<Server> {
  const attempt = (port: number) =>
    new Promise<Server>((resolve, reject) => {
      const server = app.listen(port, config.host);
      server.once('listening', () => resolve(server));
      server.once('error', reject);
    });
  try {
    return await attempt(config.port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !config.portIsDefault) throw error;
    console.error(`port ${config.port} is taken; using a free port instead`);
    return attempt(0);
  }
}
