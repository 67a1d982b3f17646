/** JSON API for approvals: list what waits for me, read one, decide. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApprovalRecord } from '../../store/types.js';
import { isApproverFor, isAuditor, isOps } from '../access.js';
import { requireCsrf, requireUser } from '../auth/guards.js';
import { decidedBy, parseWith, pendingFor, visibleApproval, type ServerContext } from '../context.js';
import { decideAs } from '../decide.js';
import { AppError } from '../errors.js';
import { maskPersonalData, maskString } from '../../audit/mask.js';

const listQuery = z.object({
  automation: z.string().max(100).optional(),
  run: z.string().max(300).optional(),
  scope: z.enum(['mine', 'decided', 'all']).default('mine'),
  lang: z.string().optional(),
});
const decisionBody = z
  .object({ decision: z.enum(['approve', 'reject']), comment: z.string().max(4000).optional() })
  .strict();

/** Full personal data only for the item's approvers; everyone else gets masked values. */
export function approvalView(request: FastifyRequest, r: ApprovalRecord, detail: boolean) {
  const full = detail && isApproverFor(request.user!, r);
  const base = {
    approvalId: r.approvalId,
    automationId: r.automationId,
    runId: r.runId,
    itemKey: full ? r.itemKey : maskString(r.itemKey),
    stepId: r.stepId,
    reason: full ? r.reason : (maskPersonalData(r.reason) as ApprovalRecord['reason']),
    approverRoles: r.approverRoles,
    requestedAt: r.requestedAt,
    dueAt: r.dueAt,
    status: r.status,
    decidedBy: r.decidedBy,
    decidedAt: r.decidedAt,
    comment: full || r.comment === undefined ? r.comment : maskString(r.comment),
  };
  if (!detail) return base;
  return {
    ...base,
    itemWorkflowId: r.itemWorkflowId,
    item: full ? r.item : maskPersonalData(r.item),
    stepOutputs: full ? r.stepOutputs : maskPersonalData(r.stepOutputs),
    hasScreenshot: Boolean(r.screenshotPath),
  };
}

export async function approvalsApi(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.addHook('preHandler', requireUser);

  app.get('/approvals', async (request) => {
    const q = parseWith(listQuery, request.query);
    const user = request.user!;
    let rows: ApprovalRecord[];
    if (q.scope === 'mine') rows = await pendingFor(ctx, request, q.automation);
    else if (q.scope === 'decided') rows = await decidedBy(ctx, request, q.automation);
    else if (isOps(user) || isAuditor(user)) rows = await ctx.stores.approvals.list({ automationId: q.automation });
    else throw new AppError('AVL_ERR_FORBIDDEN');
    return {
      approvals: rows.filter((r) => !q.run || r.runId === q.run).map((r) => approvalView(request, r, false)),
    };
  });

  app.get<{ Params: { id: string } }>('/approvals/:id', async (request) => {
    return approvalView(request, await visibleApproval(ctx, request, request.params.id), true);
  });

  app.post<{ Params: { id: string } }>('/approvals/:id/decision', { preHandler: requireCsrf }, async (request) => {
    const body = parseWith(decisionBody, request.body);
    // No visibility check first: the engine refuses whoever may not decide, and audits the attempt.
    return decideAs(ctx, request.user!, request.params.id, body, request.lang, 'api');
  });
}
