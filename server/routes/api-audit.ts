/** Audit export for auditors (and ops): the whole log or one run, as JSON Lines or CSV, streamed. */
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { exportAudit } from '../../audit/export.js';
import { isAuditor, isOps } from '../access.js';
import { requireRole } from '../auth/guards.js';
import { parseWith, type ServerContext } from '../context.js';

const exportQuery = z.object({
  format: z.enum(['jsonl', 'csv']).default('jsonl'),
  runId: z.string().max(300).optional(),
  automation: z.string().max(100).optional(),
  lang: z.string().optional(),
});

export async function auditApi(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.get('/audit/export', { preHandler: requireRole((u) => isAuditor(u) || isOps(u)) }, async (request, reply) => {
    const q = parseWith(exportQuery, request.query);
    const out = new PassThrough();
    const stamp = new Date(ctx.now()).toISOString().slice(0, 10);
    reply
      .header('content-disposition', `attachment; filename="avlasta-audit-${stamp}.${q.format}"`)
      .header('cache-control', 'no-store')
      .type(q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
    exportAudit(ctx.stores.audit, q.format, out, { runId: q.runId, automationId: q.automation }).then(
      () => out.end(),
      (err: Error) => {
        request.log.error({ err }, 'audit export failed');
        out.destroy(err);
      },
    );
    return reply.send(out);
  });

  app.get('/audit/verify', { preHandler: requireRole((u) => isAuditor(u) || isOps(u)) }, async () =>
    ctx.stores.audit.verify(),
  );
}
