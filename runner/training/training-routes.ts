import { Router } from 'express';
import { RunIdParamSchema, ShowHintBodySchema, StepIdParamSchema } from '../../protocol/index.ts';
import type { RunService } from '../runs/run-service.ts';
import { showHint } from './show-hint.ts';
import { computeTraineeReport } from './trainee-report.ts';

// Training mode's API: a failed check's hint (recorded), and the trainee report of a run.
export function trainingRoutes(service: RunService): Router {
  const router = Router();

  router.post('/runs/:runId/steps/:stepId/hint', async (request, response) => {
    const { label } = ShowHintBodySchema.parse(request.body);
    const hint = await showHint(
      service,
      RunIdParamSchema.parse(request.params.runId),
      StepIdParamSchema.parse(request.params.stepId),
      label,
    );
    response.json({ label, hint });
  });

  router.get('/runs/:runId/trainee-report', (request, response) => {
    const runtime = service.get(RunIdParamSchema.parse(request.params.runId));
    response.json(computeTraineeReport(runtime.records, service.manifest.runbook(runtime.state.runbook.slug)));
  });

  return router;
}
