/**
 * Shared between the SQLite and PostgreSQL stores: validation of a new approval, the row ↔ record
 * mapping, and the rule for a repeated decision (same decision again = retry, anything else = 409).
 */
import { ApprovalAlreadyDecidedError, ApprovalInputError, ApprovalNotFoundError } from './errors.js';
import type { ApprovalRecord, ApprovalStatus, ClosedApprovalStatus } from './types.js';

export const approvalColumns =
  'approval_id, automation_id, run_id, item_workflow_id, item_key, step_id, reason, approver_roles, initiator, requested_at, due_at, item, step_outputs, screenshot_path, status, decided_by, decided_at, comment, escalated_at';

export const openStatuses: ApprovalStatus[] = ['pending', 'escalated'];

export type PendingRecord = Omit<ApprovalRecord, 'status'>;

/** Validates a new approval and returns it with times in one ISO UTC form (they sort as text). */
export function validatePending(r: PendingRecord): PendingRecord {
  const where = `approval ${r?.approvalId ?? '(no approvalId)'}`;
  for (const f of [
    'approvalId',
    'automationId',
    'runId',
    'itemWorkflowId',
    'itemKey',
    'stepId',
    'initiator',
  ] as const) {
    if (typeof r?.[f] !== 'string' || r[f] === '')
      throw new ApprovalInputError(`${where}: ${f} must be a non-empty string`);
  }
  if (typeof r.reason?.sv !== 'string' || typeof r.reason?.en !== 'string')
    throw new ApprovalInputError(`${where}: reason must be { sv, en }`);
  if (
    !Array.isArray(r.approverRoles) ||
    r.approverRoles.length === 0 ||
    r.approverRoles.some((x) => typeof x !== 'string' || x === '')
  ) {
    throw new ApprovalInputError(`${where}: approverRoles must be a non-empty array of role names`);
  }
  for (const f of ['requestedAt', 'dueAt'] as const) {
    if (typeof r[f] !== 'string' || Number.isNaN(Date.parse(r[f])))
      throw new ApprovalInputError(`${where}: ${f} must be an ISO date-time`);
  }
  return { ...r, requestedAt: new Date(r.requestedAt).toISOString(), dueAt: new Date(r.dueAt).toISOString() };
}

/** A row read from either engine: JSON columns are strings in SQLite, objects in PostgreSQL. */
export type ApprovalRow = Record<string, unknown>;

const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);
const opt = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

export function rowToApproval(row: ApprovalRow): ApprovalRecord {
  const record: ApprovalRecord = {
    approvalId: String(row.approval_id),
    automationId: String(row.automation_id),
    runId: String(row.run_id),
    itemWorkflowId: String(row.item_workflow_id),
    itemKey: String(row.item_key),
    stepId: String(row.step_id),
    reason: json(row.reason) as ApprovalRecord['reason'],
    approverRoles: json(row.approver_roles) as string[],
    initiator: String(row.initiator),
    requestedAt: String(row.requested_at),
    dueAt: String(row.due_at),
    item: json(row.item) as Record<string, unknown>,
    stepOutputs: json(row.step_outputs) as Record<string, unknown>,
    status: row.status as ApprovalStatus,
  };
  const optional = {
    screenshotPath: opt(row.screenshot_path),
    decidedBy: opt(row.decided_by),
    decidedAt: opt(row.decided_at),
    comment: opt(row.comment),
    escalatedAt: opt(row.escalated_at),
  };
  for (const [k, v] of Object.entries(optional))
    if (v !== undefined) (record as unknown as Record<string, string>)[k] = v;
  return record;
}

/** Called when a conditional "decide if still open" update changed nothing. */
export function explainUnchangedDecision(
  approvalId: string,
  current: ApprovalRecord | undefined,
  d: { status: string; actor: string },
): void {
  if (!current) throw new ApprovalNotFoundError(approvalId);
  if (current.status === d.status && current.decidedBy === d.actor) return; // an activity retry
  throw new ApprovalAlreadyDecidedError(approvalId, current.status, current.decidedBy);
}

export function mergeRoles(current: string[], add: string[]): string[] {
  return [...new Set([...current, ...add])];
}

export type Decision = { status: ClosedApprovalStatus; actor: string; at: string; comment?: string };

const closedStatuses: readonly ClosedApprovalStatus[] = ['approved', 'rejected', 'timed-out', 'withdrawn'];

export function validateDecision(approvalId: string, d: Decision): void {
  if (!closedStatuses.includes(d?.status)) {
    throw new ApprovalInputError(
      `approval ${approvalId}: decision status must be one of ${closedStatuses.join(', ')} (got ${JSON.stringify(d?.status)})`,
    );
  }
  if (typeof d.actor !== 'string' || d.actor === '')
    throw new ApprovalInputError(`approval ${approvalId}: decision actor must be a non-empty string`);
  if (typeof d.at !== 'string' || Number.isNaN(Date.parse(d.at)))
    throw new ApprovalInputError(`approval ${approvalId}: decision at must be an ISO date-time`);
}
