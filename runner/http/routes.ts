import { Router } from 'express';
import {
  AcknowledgeBodySchema,
  ChooseCandidateBodySchema,
  EmptyBodySchema,
  NoteBodySchema,
  OverridePreflightBodySchema,
  OverrideValueBodySchema,
  RequestIdSchema,
  RunIdParamSchema,
  RunStepBodySchema,
  SkipStepBodySchema,
  StepIdParamSchema,
  VariableParamSchema,
} from '../../protocol/index.ts';
import { exportRecord, RECORD_FORMATS } from '../export/export-formats.ts';
import { exportRunbookScript } from '../export/runbook-script.ts';
import { driftOfRun, listRunHistory } from '../history/run-history.ts';
import { planDryRun } from '../runs/dry-run-plan.ts';
import type { RunService } from '../runs/run-service.ts';
import { summarizeRun, viewRun } from '../runs/run-view.ts';
import type { RunStore } from '../store/run-store.ts';
import { streamRunEvents } from './event-stream.ts';
import { openRunLog, sendRunLog } from './log-file.ts';

// The API: each handler validates its input with a protocol schema, calls one service method,
// and maps the result.
export function apiRoutes(service: RunService, store: RunStore): Router {
  const router = Router();
  const runOf = (runId: unknown) => service.get(RunIdParamSchema.parse(runId));
  const runbookOf = (slug: string) => service.manifest.findRunbook(slug);

  router.get('/runbooks', (_request, response) => {
    response.json(
      service.manifest.runbooks.map((runbook) => ({
        slug: runbook.slug,
        title: runbook.meta.title,
        summary: runbook.meta.summary,
        contentHash: runbook.contentHash,
        steps: runbook.steps.length,
      })),
    );
  });

  router.get('/contexts', (_request, response) => {
    response.json(service.contexts.list());
  });

  router.get('/runs', async (_request, response) => {
    await service.discover();
    response.json(
      service.list().map((runtime) => summarizeRun(viewRun(runtime, runbookOf(runtime.state.runbook.slug)))),
    );
  });

  router.get('/history', async (_request, response) => {
    await service.discover();
    response.json(await listRunHistory(service, store));
  });

  router.get('/runs/:runId/drift', async (request, response) => {
    response.json(await driftOfRun(runOf(request.params.runId), service, store));
  });

  router.post('/runs', async (request, response) => {
    const runtime = await service.create(request.body);
    response.status(201).json(viewRun(runtime, runbookOf(runtime.state.runbook.slug)));
  });

  router.get('/runs/:runId', async (request, response) => {
    await service.discover();
    const runtime = runOf(request.params.runId);
    response.json(viewRun(runtime, runbookOf(runtime.state.runbook.slug)));
  });

  router.get('/runs/:runId/events', (request, response) => {
    streamRunEvents(runOf(request.params.runId), request, response);
  });

  router.post('/runs/:runId/steps/:stepId/run', async (request, response) => {
    const { stepHash, requestId, confirmCluster, pod } = RunStepBodySchema.parse(request.body);
    const header = request.get('idempotency-key');
    const result = await service.runStep(
      RunIdParamSchema.parse(request.params.runId),
      StepIdParamSchema.parse(request.params.stepId),
      stepHash,
      header === undefined ? requestId : RequestIdSchema.parse(header),
      confirmCluster,
      pod,
    );
    response.status(202).json(result);
  });

  const stepCommand = (name: string, act: (runId: string, stepId: string, body: unknown) => Promise<void>) =>
    router.post(`/runs/:runId/steps/:stepId/${name}`, async (request, response) => {
      await act(
        RunIdParamSchema.parse(request.params.runId),
        StepIdParamSchema.parse(request.params.stepId),
        request.body,
      );
      response.status(204).end();
    });
  stepCommand('cancel', (runId, stepId, body) => {
    EmptyBodySchema.parse(body);
    return service.cancel(runId, stepId);
  });
  stepCommand('skip', (runId, stepId, body) => service.skip(runId, stepId, SkipStepBodySchema.parse(body).reason));
  stepCommand('acknowledge', (runId, stepId, body) =>
    service.acknowledge(runId, stepId, AcknowledgeBodySchema.parse(body).value),
  );

  router.post('/runs/:runId/values/:name/override', async (request, response) => {
    const { value, reason } = OverrideValueBodySchema.parse(request.body);
    await service.override(
      RunIdParamSchema.parse(request.params.runId),
      VariableParamSchema.parse(request.params.name),
      value,
      reason,
    );
    response.status(204).end();
  });

  router.post('/runs/:runId/values/:name/choose', async (request, response) => {
    const { index } = ChooseCandidateBodySchema.parse(request.body);
    await service.choose(
      RunIdParamSchema.parse(request.params.runId),
      VariableParamSchema.parse(request.params.name),
      index,
    );
    response.status(204).end();
  });

  router.post('/runs/:runId/preflight', async (request, response) => {
    EmptyBodySchema.parse(request.body);
    await service.preflight(RunIdParamSchema.parse(request.params.runId));
    response.status(204).end();
  });

  router.post('/runs/:runId/preflight/override', async (request, response) => {
    const { itemId, reason } = OverridePreflightBodySchema.parse(request.body);
    await service.overridePreflight(RunIdParamSchema.parse(request.params.runId), itemId, reason);
    response.status(204).end();
  });

  router.post('/runs/:runId/notes', async (request, response) => {
    await service.note(RunIdParamSchema.parse(request.params.runId), NoteBodySchema.parse(request.body).text);
    response.status(204).end();
  });

  for (const status of ['complete', 'abandon'] as const) {
    router.post(`/runs/:runId/${status}`, async (request, response) => {
      EmptyBodySchema.parse(request.body);
      await service.end(
        RunIdParamSchema.parse(request.params.runId),
        status === 'complete' ? 'completed' : 'abandoned',
      );
      response.status(204).end();
    });
  }

  router.get('/runs/:runId/export.:format', async (request, response, next) => {
    const format = RECORD_FORMATS.find((item) => item === request.params.format);
    if (!format) {
      next();
      return;
    }
    const runtime = runOf(request.params.runId);
    const exported = await exportRecord(format, runtime, runbookOf(runtime.state.runbook.slug), store);
    response.attachment(exported.fileName).type(exported.contentType).send(exported.body);
  });

  router.get('/runs/:runId/plan', (request, response) => {
    const runtime = runOf(request.params.runId);
    response.json(planDryRun(runtime, service.manifest.runbook(runtime.state.runbook.slug)));
  });

  router.get('/runs/:runId/export.sh', async (request, response) => {
    const runtime = runOf(request.params.runId);
    const script = await exportRunbookScript(runtime, service.manifest.runbook(runtime.state.runbook.slug));
    response.attachment(`drillbook-${runtime.id}.sh`).type('text/x-shellscript; charset=utf-8').send(script);
  });

  router.get('/runs/:runId/logs/:file', async (request, response) => {
    const runtime = runOf(request.params.runId);
    const log = await openRunLog(store.pathsOf(runtime.id).logDir, request.params.file);
    await sendRunLog(log, response);
  });

  return router;
}
