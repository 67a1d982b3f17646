/**
 * Who may decide a pending approval, written once: the engine checks it against the inbox row
 * before it asks the workflow (so the inbox can hide a form nobody may use), and the workflow's
 * `decide` validator checks it again against its own state, which has the last word.
 * Sandbox-safe: pure functions.
 */
import type { DecideInput } from './messages.js';

export interface DecidableApproval {
  /** The approval step's `approvers`, plus `escalateTo` once escalated. */
  approverRoles: string[];
  /** Who started the run: never the one who decides its items (four-eyes). */
  initiator: string;
}

/** Holds one of the approval's roles (the inbox also shows such a person the item's full data). */
export function holdsApproverRole(actor: { roles: string[] }, approval: Pick<DecidableApproval, 'approverRoles'>) {
  return actor.roles.some((role) => approval.approverRoles.includes(role));
}

/** The actor's standing: may they decide this approval at all? */
export function mayDecide(
  actor: DecideInput['actor'],
  approval: DecidableApproval,
): 'AVL_ERR_FORBIDDEN' | 'AVL_ERR_FOUR_EYES' | undefined {
  if (!holdsApproverRole(actor, approval)) return 'AVL_ERR_FORBIDDEN';
  if (actor.id === approval.initiator) return 'AVL_ERR_FOUR_EYES';
  return undefined;
}

/** The whole rule for one decision: the actor's standing, then a rejection says why. */
export function decisionRefusal(
  input: DecideInput,
  approval: DecidableApproval,
): keyof typeof ruleMessages | undefined {
  return (
    mayDecide(input.actor, approval) ??
    (input.decision === 'reject' && !input.comment?.trim() ? 'AVL_ERR_COMMENT_REQUIRED' : undefined)
  );
}

/** The people-readable reason of each refusal the rule can give (English; the API translates codes). */
export const ruleMessages = {
  AVL_ERR_FORBIDDEN: 'holds none of the roles that may decide this approval',
  AVL_ERR_FOUR_EYES: 'started this run and may not decide its items (four-eyes rule)',
  AVL_ERR_COMMENT_REQUIRED: 'a rejection needs a comment saying why',
} as const;

/** Why nobody may decide a withdrawn approval (AVL_ERR_WITHDRAWN), from the workflow or the inbox row. */
export function withdrawnMessage(approvalId: string, cancelled: { by: string; at: string }): string {
  return `approval ${approvalId} was withdrawn: its run was cancelled by ${cancelled.by} at ${cancelled.at}`;
}
