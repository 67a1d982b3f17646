/**
 * Deciding a flagged item: the one path every door takes — the inbox page, the JSON API (and the
 * CLI, which is an API client) and the demo's auto-decider. The door authenticates the person and
 * passes who they are and their roles; this function checks the decision rule against the inbox
 * row, then asks the item workflow's `decide` Update, whose validator checks again and has the last
 * word, and writes one `api.decision-submitted` audit entry per attempt, accepted or refused.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { maskString } from '../audit/mask.js';
import type { ApprovalRecord, Stores } from '../store/types.js';
import { decisionRefusal, mayDecide, ruleMessages, withdrawnMessage } from '../workflows/decision-rule.js';
import {
  decideUpdate,
  decisionRefusalCodes,
  type DecideInput,
  type DecideResult,
  type Decider,
  type DecisionRefusalCode,
  type EarlierDecision,
} from '../workflows/messages.js';
import { EngineError } from './errors.js';
import { engineUnavailable, updateRefusal } from './update-failure.js';

/** Where a decision came from, kept in its audit entry. The CLI is an API client: 'api'. */
export type DecisionDoor = 'inbox' | 'api' | 'demo';

export interface DecisionRequest {
  approvalId: string;
  decision: 'approve' | 'reject';
  comment?: string;
}

/** A decision the rule or the workflow refused; `code` is stable, `earlier` names who decided first. */
export class DecisionRefusedError extends EngineError {
  constructor(
    readonly code: DecisionRefusalCode,
    message: string,
    readonly earlier?: EarlierDecision,
  ) {
    super(code, message);
    this.name = 'DecisionRefusedError';
  }
}

export async function submitDecision(
  deps: { client: Client; stores: Stores },
  actor: Decider,
  request: DecisionRequest,
  via: DecisionDoor,
): Promise<DecideResult> {
  const record = await deps.stores.approvals.get(request.approvalId);
  if (!record) throw new EngineError('AVL_ERR_APPROVAL_UNKNOWN', `no approval ${request.approvalId}`);
  const input: DecideInput = {
    approvalId: record.approvalId,
    decision: request.decision,
    actor: { id: actor.id, roles: [...actor.roles] },
    comment: request.comment?.trim() || undefined,
  };
  let result: DecideResult | undefined;
  let failure: unknown;
  try {
    refuseAgainstRecord(input, record);
    result = await deps.client.workflow.getHandle(record.itemWorkflowId).executeUpdate(decideUpdate, { args: [input] });
    return result;
  } catch (err) {
    failure = await asEngineError(err, deps.stores, record.approvalId);
    throw failure;
  } finally {
    await deps.stores.audit.append([
      {
        actor: { kind: 'user', id: actor.id },
        event: 'api.decision-submitted',
        automationId: record.automationId,
        runId: record.runId,
        itemKey: record.itemKey, // unmasked like the engine's entries, so the item's history finds it
        stepId: record.stepId,
        details: {
          approvalId: record.approvalId,
          decision: input.decision,
          ...(input.comment ? { comment: maskString(input.comment) } : {}),
          outcome: result ? 'accepted' : failure instanceof DecisionRefusedError ? 'refused' : 'failed',
          ...(result ? {} : { code: failure instanceof EngineError ? failure.code : 'AVL_ERR_INTERNAL' }),
          via,
        },
      },
    ]);
  }
}

/**
 * The rule against the inbox row, before asking the workflow: a refusal needs no round trip, and
 * a closed item (whose workflow can no longer answer) is still refused with who decided it.
 */
function refuseAgainstRecord(input: DecideInput, record: ApprovalRecord): void {
  const standing = mayDecide(input.actor, record);
  if (standing) throw new DecisionRefusedError(standing, `${input.actor.id}: ${ruleMessages[standing]}`);
  const closed = closedRefusal(record);
  if (closed) throw closed;
  const code = decisionRefusal(input, record);
  if (code) throw new DecisionRefusedError(code, `${input.actor.id}: ${ruleMessages[code]}`);
}

/** Maps by the failure's type (a stable code), never by its message. */
async function asEngineError(err: unknown, stores: Stores, approvalId: string): Promise<unknown> {
  if (err instanceof EngineError) return err;
  const refusal = updateRefusal(err, decisionRefusalCodes);
  if (refusal) {
    if (refusal.code !== 'AVL_ERR_NOT_PENDING')
      return new DecisionRefusedError(refusal.code, refusal.message, refusal.details[0] as EarlierDecision | undefined);
    return (await decidedMeanwhile(stores, approvalId)) ?? new DecisionRefusedError(refusal.code, refusal.message);
  }
  if (err instanceof WorkflowNotFoundError) {
    // The item closed between reading its row and the Update: someone (or the timeout) decided,
    // or its run was cancelled.
    return (
      (await decidedMeanwhile(stores, approvalId)) ??
      new DecisionRefusedError('AVL_ERR_NOT_PENDING', `the item of approval ${approvalId} is no longer running`)
    );
  }
  return engineUnavailable(err, 'the decision') ?? err;
}

async function decidedMeanwhile(stores: Stores, approvalId: string): Promise<DecisionRefusedError | undefined> {
  const now = await stores.approvals.get(approvalId);
  return now && closedRefusal(now);
}

/** Why an inbox row that no longer waits takes no decision: withdrawn, or decided before. */
function closedRefusal(record: ApprovalRecord): DecisionRefusedError | undefined {
  if (record.status === 'withdrawn')
    return new DecisionRefusedError(
      'AVL_ERR_WITHDRAWN',
      withdrawnMessage(record.approvalId, {
        by: record.decidedBy ?? 'system',
        at: record.decidedAt ?? record.requestedAt,
      }),
    );
  const earlier = earlierDecision(record);
  return earlier && alreadyDecided(record.approvalId, earlier);
}

function earlierDecision(record: ApprovalRecord): EarlierDecision | undefined {
  if (record.status === 'pending' || record.status === 'escalated' || record.status === 'withdrawn') return undefined;
  return {
    decidedBy: record.decidedBy ?? 'system',
    decidedAt: record.decidedAt ?? record.requestedAt,
    decision: record.status === 'approved' ? 'approve' : 'reject',
  };
}

function alreadyDecided(approvalId: string, earlier: EarlierDecision): DecisionRefusedError {
  return new DecisionRefusedError(
    'AVL_ERR_ALREADY_DECIDED',
    `approval ${approvalId} was already decided (${earlier.decision}) by ${earlier.decidedBy} at ${earlier.decidedAt}`,
    earlier,
  );
}
