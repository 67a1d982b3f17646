/**
 * Updates, queries and their payload types, defined once and imported by workflows and clients
 * (CLI, API server). Sandbox-safe.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/**
 * Who decides, as the engine asserts it after authenticating them (inbox session, API token,
 * the demo's users.yaml): their user id and roles. Anyone who can send an Update to Temporal
 * directly can claim any of this, which is why reaching Temporal makes one an administrator
 * (docs/SECURITY.md).
 */
export interface Decider {
  id: string;
  roles: string[];
}

export interface DecideInput {
  approvalId: string;
  decision: 'approve' | 'reject';
  /** Must hold one of the approval's roles and differ from the run's initiator (four-eyes). */
  actor: Decider;
  comment?: string;
}

export interface DecideResult {
  approvalId: string;
  decision: 'approve' | 'reject';
  actor: string;
  decidedAt: string;
  comment?: string;
}

export interface PendingApprovalView {
  approvalId: string;
  itemKey: string;
  stepId: string;
  reason: { sv: string; en: string };
  approverRoles: string[];
  requestedAt: string;
  dueAt: string;
  escalated: boolean;
}

/**
 * Why a decision is refused: the `type` of the ApplicationFailure the `decide` validator throws,
 * and the code the engine and the API answer with. Callers map by this type, never by message.
 */
export const decisionRefusalCodes = [
  'AVL_ERR_BAD_REQUEST',
  'AVL_ERR_ALREADY_DECIDED',
  'AVL_ERR_NOT_PENDING',
  'AVL_ERR_FORBIDDEN',
  'AVL_ERR_FOUR_EYES',
  'AVL_ERR_COMMENT_REQUIRED',
  'AVL_ERR_WITHDRAWN',
] as const;
export type DecisionRefusalCode = (typeof decisionRefusalCodes)[number];

/** The details of an AVL_ERR_ALREADY_DECIDED refusal: who decided, when, and what. */
export interface EarlierDecision {
  decidedBy: string;
  decidedAt: string;
  decision: 'approve' | 'reject';
}

/** Its validator refuses with one of decisionRefusalCodes (approval-gate.ts). */
export const decideUpdate = defineUpdate<DecideResult, [DecideInput]>('decide');
/** On an item: its pending approvals. On a run: the pending approvals of all its items. */
export const pendingApprovalsQuery = defineQuery<PendingApprovalView[]>('pendingApprovals');

export const runProgressQuery = defineQuery<import('./types.js').RunSummary>('runProgress');

/**
 * Sent by an item to its run: it waits for a person (frees a concurrency slot; the run's
 * pendingApprovals query lists it) or resumes.
 */
export const itemParkedSignal =
  defineSignal<[{ key: string; parked: boolean; approval?: PendingApprovalView }]>('itemParked');
