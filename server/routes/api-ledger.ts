/** JSON API for the item ledger: forgetting completed items (ops), so the next run does them again. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { forgetCompleted } from '../../engine/ledger.js';
import { isOps } from '../access.js';
import { requireCsrf, requireRole } from '../auth/guards.js';
import { parseWith, type ServerContext } from '../context.js';

const forgetBody = z
  .object({
    automationId: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a kebab-case automation id'),
    /** Absent: every key the automation completed. */
    keys: z.array(z.string().min(1).max(200)).min(1).max(10_000).optional(),
  })
  .strict();

export async function ledgerApi(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.post('/ledger/forget', { preHandler: [requireRole(isOps), requireCsrf] }, async (request) => {
    const body = parseWith(forgetBody, request.body);
    return forgetCompleted(ctx.stores, {
      automationId: body.automationId,
      keys: body.keys,
      actor: request.user!.id,
      via: request.authVia,
    });
  });
}
