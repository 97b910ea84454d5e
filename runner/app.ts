import express from 'express';
import type { PageDrills } from './drills/page-attempts.ts';
import { RunnerError } from './errors.ts';
import { drillRoutes } from './http/drill-routes.ts';
import { errorHandler, type Logger } from './http/error-handler.ts';
import { apiGuard, hostGuard, securityHeaders } from './http/guard.ts';
import { apiRoutes } from './http/routes.ts';
import type { SecurityPolicy } from './http/security-policy.ts';
import type { RunService } from './runs/run-service.ts';
import type { RunStore } from './store/run-store.ts';
import { trainingRoutes } from './training/training-routes.ts';

export interface AppDependencies {
  service: RunService;
  store: RunStore;
  policy: SecurityPolicy;
  /** The built site, served from the same origin as the API. */
  siteDir: string | null;
  log: Logger;
  /** Drills started from the page (GET /api/drills…); without it, the drill routes answer 404. */
  drills?: PageDrills;
}

// Builds the runner's HTTP app. It never listens: main.ts does, and tests call it directly.
export function createApp(deps: AppDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeaders);
  app.use(hostGuard(deps.policy));
  app.use(
    '/api',
    apiGuard(deps.policy),
    express.json({ limit: '2mb', type: 'application/json' }),
    apiRoutes(deps.service, deps.store),
    trainingRoutes(deps.service),
    ...(deps.drills ? [drillRoutes(deps.drills)] : []),
  );
  app.use('/api', () => {
    throw new RunnerError('NOT_FOUND', 'no such API route');
  });
  if (deps.siteDir) app.use(express.static(deps.siteDir, { dotfiles: 'deny', index: 'index.html', redirect: true }));
  app.use(errorHandler(deps.log));
  return app;
}
