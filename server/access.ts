/**
 * Who may do what. Approver roles come from each automation's definition (approval step
 * `approvers`, plus `escalateTo` after escalation) and people's roles from users.yaml, so a role
 * such as "ekonomi-attest" scopes a person to one department's automations. Two roles are
 * special: `ops` starts runs and reads everything; `auditor` reads and exports the audit log;
 * `manager` sees the city dashboard (figures, no item data). Who may decide is the engine's rule
 * (workflows/decision-rule.ts), used here to show the form.
 */
import type { AvlastaConfig } from '../config.js';
import type { ApprovalRecord } from '../store/types.js';
import { holdsApproverRole, mayDecide } from '../workflows/decision-rule.js';
import type { User } from './auth/users.js';

export const OPS = 'ops';
export const AUDITOR = 'auditor';
export const MANAGER = 'manager';

export const isOps = (u: User): boolean => u.roles.includes(OPS);
export const isAuditor = (u: User): boolean => u.roles.includes(AUDITOR);
export const isManager = (u: User): boolean => u.roles.includes(MANAGER);

/** Ops, or a role the configuration's `triggers.webhookRoles` names for this automation (a system's token). */
export const mayStartRunsOf = (u: User, automationId: string, config: AvlastaConfig): boolean =>
  isOps(u) || (config.triggers.webhookRoles[automationId] ?? []).some((r) => u.roles.includes(r));

/** Holds one of the approval's approver roles. */
export const isApproverFor = (u: User, a: Pick<ApprovalRecord, 'approverRoles'>): boolean => holdsApproverRole(u, a);

export function canSeeApproval(u: User, a: ApprovalRecord): boolean {
  return isApproverFor(u, a) || isOps(u) || isAuditor(u) || a.decidedBy === u.id;
}

export type DecideVerdict = { ok: true } | { ok: false; reason: 'not-approver' | 'four-eyes' | 'decided' };

/** Whether the page offers this person the decision form (the engine checks again when they use it). */
export function canDecide(u: User, a: ApprovalRecord): DecideVerdict {
  const standing = mayDecide(u, a);
  if (standing === 'AVL_ERR_FORBIDDEN') return { ok: false, reason: 'not-approver' };
  if (a.status !== 'pending' && a.status !== 'escalated') return { ok: false, reason: 'decided' };
  if (standing === 'AVL_ERR_FOUR_EYES') return { ok: false, reason: 'four-eyes' };
  return { ok: true };
}
