/** JSON API for runs: list, start with an uploaded file (ops), status. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isAuditor, isOps } from '../access.js';
import { requireCsrf, requireRole } from '../auth/guards.js';
import { parseWith, temporalUiLink, type ServerContext } from '../context.js';
import { startRunFromRequest } from '../start-run.js';
import { registerUploads } from '../upload.js';
import { runFilterFields, runFilterOf, runLinks } from '../run-views.js';

const listQuery = z.object({
  automation: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/)
    .optional(),
  ...runFilterFields,
  limit: z.coerce.number().int().min(1).max(500).default(50),
  lang: z.string().optional(),
});

export async function runsApi(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await registerUploads(app);
  const readers = requireRole((u) => isOps(u) || isAuditor(u));

  app.get('/runs', { preHandler: readers }, async (request) => {
    const q = parseWith(listQuery, request.query);
    return { runs: await ctx.runs.listRuns({ ...runFilterOf(q), automationId: q.automation, limit: q.limit }) };
  });

  app.post('/runs', { preHandler: [requireRole(isOps), requireCsrf] }, async (request, reply) => {
    const started = await startRunFromRequest(ctx, request);
    reply.code(201).header('location', `/api/runs/${encodeURIComponent(started.workflowId)}`);
    return { ...started, temporalUi: temporalUiLink(ctx.config, started.workflowId) };
  });

  app.get<{ Params: { workflowId: string } }>('/runs/:workflowId', { preHandler: readers }, async (request) => {
    const status = await ctx.runs.getRunStatus(request.params.workflowId);
    return {
      ...status,
      ...(await runLinks(ctx.stores, status.workflowId)),
      temporalUi: temporalUiLink(ctx.config, status.workflowId),
    };
  });
}
