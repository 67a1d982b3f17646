/**
 * Updates, queries and their payload types, defined once and imported by workflows and clients
 * (CLI, API server). Sandbox-safe.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

export interface DecideInput {
  approvalId: string;
  decision: 'approve' | 'reject';
  /** The deciding person's user id. Must differ from the run's initiator (four-eyes). */
  actor: string;
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

/** Validator refuses: unknown approval, already decided (naming who and when), four-eyes. */
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
