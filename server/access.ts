/**
 * Who may do what. Approver roles come from each automation's definition (approval step
 * `approvers`, plus `escalateTo` after escalation) and people's roles from users.yaml, so a role
 * such as "ekonomi-attest" scopes a person to one department's automations. Two roles are
 * special: `ops` starts runs and reads everything; `auditor` reads and exports the audit log;
 * `manager` sees the city dashboard (figures, no item data).
 */
import type { ApprovalRecord } from '../store/types.js';
import type { User } from './auth/users.js';

export const OPS = 'ops';
export const AUDITOR = 'auditor';
export const MANAGER = 'manager';

export const isOps = (u: User): boolean => u.roles.includes(OPS);
export const isAuditor = (u: User): boolean => u.roles.includes(AUDITOR);
export const isManager = (u: User): boolean => u.roles.includes(MANAGER);

/** Holds one of the approval's approver roles. */
export function isApproverFor(u: User, a: Pick<ApprovalRecord, 'approverRoles'>): boolean {
  return a.approverRoles.some((r) => u.roles.includes(r));
}

export function canSeeApproval(u: User, a: ApprovalRecord): boolean {
  return isApproverFor(u, a) || isOps(u) || isAuditor(u) || a.decidedBy === u.id;
}

export type DecideVerdict = { ok: true } | { ok: false; reason: 'not-approver' | 'four-eyes' | 'decided' };

/** The server's own checks before asking the workflow, which checks again (it is the authority). */
export function canDecide(u: User, a: ApprovalRecord): DecideVerdict {
  if (!isApproverFor(u, a)) return { ok: false, reason: 'not-approver' };
  if (a.status !== 'pending' && a.status !== 'escalated') return { ok: false, reason: 'decided' };
  if (a.initiator === u.id) return { ok: false, reason: 'four-eyes' };
  return { ok: true };
}
