/**
 * An approval step: when its condition holds, the item waits for a person (the inbox row comes
 * from the requestApproval activity, the decision through the item's `decide` Update), with its
 * timeout policy: escalate, then reject. Once the item's run is cancelled nobody is asked: the
 * approval the item waits at is withdrawn, and an item that reaches the step opens none; either
 * way the item ends cancelled. Deterministic code only.
 */
import { condition, getExternalWorkflowHandle, proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time.js';
import type { ExpressionContext } from '../../definitions/expressions.js';
import type { ApprovalStep } from '../../definitions/schema.js';
import type { EngineActivities } from '../../activities/engine-types.js';
import type { ApprovalGate } from '../approval-gate.js';
import { engineLocal } from '../engine-local.js';
import { itemParkedSignal, type DecideResult, type PendingApprovalView } from '../messages.js';
import { setStatus } from '../status.js';
import type { StepOutcome } from './outcome.js';
import type { ItemScope } from './scope.js';

const engine = proxyActivities<EngineActivities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '1s', maximumInterval: '30s', maximumAttempts: 20 },
});

export async function runApprovalStep(
  step: ApprovalStep,
  ctx: ExpressionContext,
  { input, itemId, gate }: ItemScope,
): Promise<StepOutcome> {
  // Definitions refuse approval steps where items have no workflow (definition-checks.ts).
  if (!gate)
    return {
      kind: 'failed',
      error: `${step.id}: an approval step needs the item's own workflow (itemWorkflows: true)`,
    };
  // A trial asks nobody: staff would decide on something that is never committed. The item is
  // counted as flagged and goes on as if approved, so the steps after it are tried too.
  if (input.trial) return { kind: 'approved', output: { decision: 'approve', actor: 'trial' }, byPerson: false };
  if (gate.runCancelled) return { kind: 'cancelled' };
  const approvalId = `${itemId}.${step.id}`;
  const requestedAt = new Date();
  const dueAt = new Date(requestedAt.getTime() + msToNumber(step.timeout as Duration));
  const ref = {
    approvalId,
    automationId: input.automationId,
    runId: input.runWorkflowId,
    itemKey: input.item.key,
    stepId: step.id,
  };
  // Open the gate before the inbox row exists, so a decision made the moment the row appears is
  // never refused as "unknown approval".
  const view: PendingApprovalView = {
    approvalId,
    itemKey: input.item.key,
    stepId: step.id,
    reason: step.reason,
    approverRoles: step.approvers,
    requestedAt: requestedAt.toISOString(),
    dueAt: dueAt.toISOString(),
    escalated: false,
  };
  gate.open(view);
  await engine.requestApproval({
    ...ref,
    itemWorkflowId: itemId,
    reason: step.reason,
    approverRoles: step.approvers,
    initiator: input.initiator,
    requestedAt: requestedAt.toISOString(),
    dueAt: dueAt.toISOString(),
    item: ctx.item,
    stepOutputs: ctx.steps,
  });
  setStatus('awaiting-approval');
  setCurrentDetails(`Waiting for ${step.approvers.join(' or ')} to decide (${step.id}) until ${dueAt.toISOString()}`);
  await notifyRun(input.runWorkflowId, input.item.key, true, view);

  let decided = await waitForDecision(gate, approvalId, step.timeout);
  if (!decided && step.onTimeout === 'escalate-then-reject') {
    const addRoles = step.escalateTo ?? [];
    gate.markEscalated(approvalId, addRoles);
    await engine.escalateApproval({ ...ref, addRoles });
    decided = await waitForDecision(gate, approvalId, step.escalationTimeout ?? step.timeout);
  }
  await notifyRun(input.runWorkflowId, input.item.key, false);
  setStatus('running');

  if (gate.isWithdrawn(approvalId) && gate.runCancelled) {
    const { by, at } = gate.runCancelled;
    await engineLocal.recordDecision({ ...ref, status: 'withdrawn', actor: by, at });
    return { kind: 'cancelled' };
  }

  const decision = gate.decisionFor(approvalId) ?? timeoutDecision(gate, approvalId);
  await engineLocal.recordDecision({
    ...ref,
    status: !decided ? 'timed-out' : decision.decision === 'approve' ? 'approved' : 'rejected',
    actor: decision.actor,
    comment: decision.comment,
    at: decision.decidedAt,
  });
  if (decision.decision === 'approve')
    return { kind: 'approved', output: { decision: 'approve', actor: decision.actor }, byPerson: decided };
  return {
    kind: 'rejected',
    byPerson: decided,
    reason: decided
      ? `${step.id}: rejected by ${decision.actor}: ${decision.comment ?? ''}`
      : `${step.id}: no decision before the deadline`,
  };
}

/** Waits until a person decides or the approval is withdrawn; false when the timeout came first. */
async function waitForDecision(gate: ApprovalGate, approvalId: string, timeout: string): Promise<boolean> {
  return condition(
    () => gate.decisionFor(approvalId) !== undefined || gate.isWithdrawn(approvalId),
    timeout as Duration,
  );
}

function timeoutDecision(gate: ApprovalGate, approvalId: string): DecideResult {
  const decision: DecideResult = {
    approvalId,
    decision: 'reject',
    actor: 'system:timeout',
    decidedAt: new Date().toISOString(),
    comment: 'no decision before the deadline',
  };
  gate.close(approvalId, decision);
  return decision;
}

async function notifyRun(
  runWorkflowId: string,
  key: string,
  parked: boolean,
  approval?: PendingApprovalView,
): Promise<void> {
  // Lets the run start another item while this one waits for a person, so a pile of flagged
  // items cannot stall the whole run.
  await getExternalWorkflowHandle(runWorkflowId).signal(itemParkedSignal, { key, parked, approval });
}
