import { Router } from 'express';
import { AttemptIdParamSchema, DrillNameParamSchema, StartDrillBodySchema } from '../../protocol/index.ts';
import type { PageDrills } from '../drills/page-attempts.ts';

// The drills page's API: the drills with their attempts, starting one, finishing (grading) one.
export function drillRoutes(drills: PageDrills): Router {
  const router = Router();

  router.get('/drills', async (_request, response) => {
    response.json(await drills.list());
  });

  router.post('/drills/:name/attempts', async (request, response) => {
    const { operator } = StartDrillBodySchema.parse(request.body);
    const started = await drills.start(DrillNameParamSchema.parse(request.params.name), operator);
    response.status(201).json(started);
  });

  router.post('/drills/attempts/:attemptId/finish', async (request, response) => {
    response.json(await drills.finish(AttemptIdParamSchema.parse(request.params.attemptId)));
  });

  return router;
}
