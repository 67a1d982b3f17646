/**
 * Submitting a person's decision: the server's own checks first (role, still pending, four-eyes),
 * then the workflow's `decide` Update, whose validator is the authority. Refusals become 409s with
 * stable codes; every submission, accepted or refused, is written to the audit log.
 */
import { ServiceError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Stores, ApprovalRecord } from '../store/types.js';
import { decideUpdate, type DecideInput, type DecideResult } from '../workflows/messages.js';
import { canDecide } from './access.js';
import type { User, UserDirectory } from './auth/users.js';
import { AppError, type Lang } from './errors.js';
import { formatDateTime, texts } from './i18n.js';
import { maskString } from '../audit/mask.js';

export interface DecisionInput {
  decision: 'approve' | 'reject';
  comment?: string;
}

export async function submitDecision(
  deps: { temporal: Client; stores: Stores; users: UserDirectory },
  user: User,
  record: ApprovalRecord,
  input: DecisionInput,
  lang: Lang,
): Promise<DecideResult> {
  const comment = input.comment?.trim() || undefined;
  if (input.decision === 'reject' && !comment) throw new AppError('AVL_ERR_COMMENT_REQUIRED');
  let result: DecideResult | undefined;
  let refusal: AppError | undefined;
  try {
    const verdict = canDecide(user, record);
    if (!verdict.ok && verdict.reason === 'not-approver') throw new AppError('AVL_ERR_FORBIDDEN');
    if (!verdict.ok && verdict.reason === 'decided')
      throw alreadyDecided(deps.users, record.decidedBy ?? '?', record.decidedAt, lang);
    if (!verdict.ok && verdict.reason === 'four-eyes') throw new AppError('AVL_ERR_FOUR_EYES');
    result = await executeWithGateRetry(deps.temporal, record, {
      approvalId: record.approvalId,
      decision: input.decision,
      actor: user.id,
      comment,
    });
    return result;
  } catch (err) {
    refusal = toAppError(err, lang, deps.users);
    if (refusal.code === 'AVL_ERR_NOT_PENDING')
      refusal = (await decidedMeanwhile(deps, record.approvalId, lang)) ?? refusal;
    throw refusal;
  } finally {
    await deps.stores.audit.append([
      {
        actor: { kind: 'user', id: user.id },
        event: 'api.decision-submitted',
        automationId: record.automationId,
        runId: record.runId,
        itemKey: record.itemKey, // unmasked like the engine's entries, so the item's history finds it
        stepId: record.stepId,
        details: {
          approvalId: record.approvalId,
          decision: input.decision,
          ...(comment ? { comment: maskString(comment) } : {}),
          outcome: result ? 'accepted' : 'refused',
          ...(refusal ? { code: refusal.code } : {}),
        },
      },
    ]);
  }
}

/** Names the person as staff know them ("Anna Andersson"), keeping the id for machine clients. */
function alreadyDecided(users: UserDirectory | undefined, who: string, at: string | undefined, lang: Lang): AppError {
  const name = users?.find(who)?.name ?? who;
  return new AppError('AVL_ERR_ALREADY_DECIDED', texts[lang].alreadyDecided(name, at ? formatDateTime(at) : '?'), {
    decidedBy: who,
    decidedAt: at,
  });
}

/**
 * The record was read as pending, but the item has closed since: someone decided and the item
 * finished between that read and the Update. Name who decided rather than a bare "not pending".
 */
async function decidedMeanwhile(
  deps: { stores: Stores; users: UserDirectory },
  approvalId: string,
  lang: Lang,
): Promise<AppError | undefined> {
  const now = await deps.stores.approvals.get(approvalId);
  return now?.decidedBy ? alreadyDecided(deps.users, now.decidedBy, now.decidedAt, lang) : undefined;
}

/** Maps the workflow validator's refusals (see workflows/approval-gate.ts) to catalog codes. */
export function toAppError(err: unknown, lang: Lang, users?: UserDirectory): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof WorkflowNotFoundError) return new AppError('AVL_ERR_NOT_PENDING');
  if (err instanceof WorkflowUpdateFailedError) {
    const message = err.cause?.message ?? err.message;
    const decided = /already decided \((\w+)\) by (.+) at (\S+)$/.exec(message);
    if (decided) return alreadyDecided(users, decided[2], decided[3], lang);
    if (message.includes('four-eyes')) return new AppError('AVL_ERR_FOUR_EYES');
    if (message.includes('needs a comment')) return new AppError('AVL_ERR_COMMENT_REQUIRED');
    if (message.startsWith('unknown approval')) return new AppError('AVL_ERR_NOT_PENDING');
    return new AppError('AVL_ERR_BAD_REQUEST', message);
  }
  if (err instanceof ServiceError) {
    // A closed workflow answers the Update with NOT_FOUND-like service errors.
    if (/not found|completed|closed/i.test(err.message)) return new AppError('AVL_ERR_NOT_PENDING');
    return new AppError('AVL_ERR_ENGINE_UNAVAILABLE');
  }
  throw err;
}

/**
 * The item workflow writes the inbox row (activity) before it opens its gate, so for a moment the
 * row is pending while the validator still says "unknown approval". Retry briefly in that window
 * rather than telling a person the item is gone.
 */
async function executeWithGateRetry(
  temporal: Client,
  record: ApprovalRecord,
  input: DecideInput,
): Promise<DecideResult> {
  const handle = temporal.workflow.getHandle(record.itemWorkflowId);
  for (let attempt = 1; ; attempt++) {
    try {
      return await handle.executeUpdate(decideUpdate, { args: [input] });
    } catch (err) {
      const unknown =
        err instanceof WorkflowUpdateFailedError && (err.cause?.message ?? '').startsWith('unknown approval');
      if (!unknown || attempt >= GATE_RETRIES) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

const GATE_RETRIES = 12;
