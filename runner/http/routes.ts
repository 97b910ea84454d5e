import path from 'node:path';
import { Router } from 'express';
import {
  AcknowledgeBodySchema,
  ChooseCandidateBodySchema,
  CreateRunBodySchema,
  EmptyBodySchema,
  NoteBodySchema,
  OverrideValueBodySchema,
  RequestIdSchema,
  RunIdParamSchema,
  RunStepBodySchema,
  SkipStepBodySchema,
  StepIdParamSchema,
  VariableParamSchema,
} from '../../protocol/index.ts';
import { RunnerError } from '../errors.ts';
import { exportRunJson, exportRunMarkdown } from '../export/export-run.ts';
import type { RunService } from '../runs/run-service.ts';
import { summarizeRun, viewRun } from '../runs/run-view.ts';
import type { RunStore } from '../store/run-store.ts';
import { streamRunEvents } from './event-stream.ts';

// The API: each handler validates its input with a protocol schema, calls one service method,
// and maps the result.
export function apiRoutes(service: RunService, store: RunStore): Router {
  const router = Router();
  const runOf = (runId: unknown) => service.get(RunIdParamSchema.parse(runId));
  const runbookOf = (slug: string) => service.manifest.findRunbook(slug);

  router.get('/runbooks', (_request, response) => {
    response.json(
      service.manifest.manifest.runbooks.map((runbook) => ({
        slug: runbook.slug,
        title: runbook.meta.title,
        summary: runbook.meta.summary,
        contentHash: runbook.contentHash,
        steps: runbook.steps.length,
      })),
    );
  });

  router.get('/runs', (_request, response) => {
    response.json(
      service.list().map((runtime) => summarizeRun(viewRun(runtime, runbookOf(runtime.state.runbook.slug)))),
    );
  });

  router.post('/runs', async (request, response) => {
    const runtime = await service.create(CreateRunBodySchema.parse(request.body));
    response.status(201).json(viewRun(runtime, runbookOf(runtime.state.runbook.slug)));
  });

  router.get('/runs/:runId', (request, response) => {
    const runtime = runOf(request.params.runId);
    response.json(viewRun(runtime, runbookOf(runtime.state.runbook.slug)));
  });

  router.get('/runs/:runId/events', (request, response) => {
    streamRunEvents(runOf(request.params.runId), request, response);
  });

  router.post('/runs/:runId/steps/:stepId/run', async (request, response) => {
    const { stepHash, requestId } = RunStepBodySchema.parse(request.body);
    const header = request.get('idempotency-key');
    const result = await service.runStep(
      RunIdParamSchema.parse(request.params.runId),
      StepIdParamSchema.parse(request.params.stepId),
      stepHash,
      header === undefined ? requestId : RequestIdSchema.parse(header),
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

  router.get('/runs/:runId/export.json', (request, response) => {
    const runtime = runOf(request.params.runId);
    response
      .attachment(`drillbook-${runtime.id}.json`)
      .json(exportRunJson(runtime, runbookOf(runtime.state.runbook.slug)));
  });

  router.get('/runs/:runId/export.md', (request, response) => {
    const runtime = runOf(request.params.runId);
    response
      .attachment(`drillbook-${runtime.id}.md`)
      .type('text/markdown; charset=utf-8')
      .send(exportRunMarkdown(runtime, runbookOf(runtime.state.runbook.slug)));
  });

  router.get('/runs/:runId/logs/:file', (request, response) => {
    const runtime = runOf(request.params.runId);
    const file = request.params.file;
    if (!/^[a-z0-9-]+\.\d+(\.poll\d+)?\.log$/.test(file)) throw new RunnerError('NOT_FOUND', 'no such log');
    response
      .type('text/plain; charset=utf-8')
      .sendFile(path.join(store.pathsOf(runtime.id).logDir, file), { dotfiles: 'deny' }, (error) => {
        if (error && !response.headersSent) response.status(404).json({ code: 'NOT_FOUND', message: 'no such log' });
      });
  });

  return router;
}
