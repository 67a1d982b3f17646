/** JSON API of the ops console: a run's items (keyset pages), and pause, resume, cancel, retry-failed (ops). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { listRunItems } from '../../engine/run-items.js';
import { isAuditor, isOps } from '../access.js';
import { requireCsrf, requireRole } from '../auth/guards.js';
import { parseWith, type ServerContext } from '../context.js';
import { actOnRun, runActions } from '../run-actions.js';
import { itemsQuery } from '../run-views.js';

const actionParams = z.object({ workflowId: z.string().min(1).max(300), action: z.enum(runActions) });

export async function runConsoleApi(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const readers = requireRole((u) => isOps(u) || isAuditor(u));

  app.get<{ Params: { workflowId: string } }>('/runs/:workflowId/items', { preHandler: readers }, async (request) => {
    const q = parseWith(itemsQuery, request.query);
    return listRunItems(ctx.stores, request.params.workflowId, q);
  });

  app.post('/runs/:workflowId/:action', { preHandler: [requireRole(isOps), requireCsrf] }, async (request) => {
    const { workflowId, action } = parseWith(actionParams, request.params);
    return actOnRun(ctx, request.user!, workflowId, action, 'api');
  });
}
