/**
 * One item of a run: runs the definition's steps in order. Bot steps go to the bot workers via
 * the runBot activity; approval steps wait for a person through the `decide` Update. A failing step
 * fails the item (returned as an outcome), never the run.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ApprovalStep, BotStep, Step } from '../definitions/schema.js';
import { approvalFollows } from '../definitions/evidence.js';
import { evaluateCondition, renderTemplate, renderTemplateNow } from '../definitions/expressions.js';
import type { EngineActivities } from '../activities/engine-types.js';
import type { createBotActivities } from '../activities/run-bot.js';
import { msUntilAllowed } from '../bot-runtime/allowed-hours.js';
import { SA, systemOf, type ItemStatus } from '../temporal/names.js';
import { botHeartbeatTimeoutMs } from '../temporal/bot-step-timing.js';
import { ApprovalGate } from './approval-gate.js';
import { engineLocal } from './engine-local.js';
import { itemParkedSignal, type PendingApprovalView } from './messages.js';
import type { ItemInput, ItemResult } from './types.js';

type BotActivities = ReturnType<typeof createBotActivities>;

const engine = proxyActivities<EngineActivities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '1s', maximumInterval: '30s', maximumAttempts: 20 },
});
// Short, idempotent planning calls run as local activities, like the recording ones (engine-local.ts).
const botPlanning = proxyLocalActivities<BotActivities>({ startToCloseTimeout: '30s', retry: { maximumAttempts: 20 } });

export interface StepContext {
  item: Record<string, unknown>;
  steps: Record<string, unknown>;
  vars: Record<string, unknown>;
  run: { id: string; automation: string; initiator: string };
}

export async function automationItem(input: ItemInput): Promise<ItemResult> {
  const { definition } = input;
  const gate = new ApprovalGate(input.initiator);
  const { ctx, result } = startItem(input);

  const where: StepPlace = { itemId: workflowInfo().workflowId, gate };
  await runSteps(ctx, input, result, where, (step) =>
    setCurrentDetails(`Step ${step.id} (${step.type}) of ${definition.steps.length}`),
  );
  setStatus(result.outcome);
  setCurrentDetails(`${result.outcome}${result.error ? `: ${result.error}` : ''}`);
  // The ledger row and audit entry: written by the run for several items at once, or (items of
  // older runs) here, as a local activity in the workflow task that saw the last step.
  if (!input.recordedByRun)
    await engineLocal.finishItem({ automationId: input.automationId, runId: input.runWorkflowId, result });
  return result;
}

/** The context an item's steps read and write, and its result so far. */
export function startItem(input: ItemInput): { ctx: StepContext; result: ItemResult } {
  const ctx: StepContext = {
    item: input.item.data,
    steps: {},
    vars: {},
    run: { id: input.runWorkflowId, automation: input.automationId, initiator: input.initiator },
  };
  return {
    ctx,
    result: {
      key: input.item.key,
      outcome: 'done',
      flagged: false,
      approved: false,
      touched: false,
      outputs: ctx.steps,
    },
  };
}

/**
 * Where an item's steps run: its own workflow (`itemId` is that workflow's id, `gate` its
 * approvals), or its run's workflow (itemWorkflows: false), whose activities need ids of their own
 * per item and step, and which has no gate: a gate registers the `decide` Update and the pending
 * approvals query on the workflow it is made in, the run's own query among them.
 */
export interface StepPlace {
  /** The item workflow's id, or the one it would have: the root of every idempotency key. */
  itemId: string;
  gate?: ApprovalGate;
  activityIdFor?: (stepId: string) => string;
}

/** Runs the item's steps in order; a failing step ends the item with outcome 'failed' in `result`. */
export async function runSteps(
  ctx: StepContext,
  input: ItemInput,
  result: ItemResult,
  where: StepPlace,
  onStep?: (step: Step) => void,
): Promise<void> {
  try {
    for (const step of input.definition.steps) {
      onStep?.(step);
      const carryOn = await runStep(step, ctx, input, result, where);
      if (!carryOn) break;
    }
  } catch (err) {
    result.outcome = 'failed';
    result.error = describeFailure(err);
  }
}

/** Returns false when the item must stop here (rejected by a person). */
async function runStep(
  step: Step,
  ctx: StepContext,
  input: ItemInput,
  result: ItemResult,
  where: StepPlace,
): Promise<boolean> {
  if (step.type !== 'approval' && step.when && !(await evaluateCondition(step.when, ctx))) return true;
  switch (step.type) {
    case 'bot':
      ctx.steps[step.id] = await runBotStep(step, ctx, input, where);
      return true;
    case 'set':
      for (const [name, template] of Object.entries(step.values)) ctx.vars[name] = await render(template, ctx);
      return true;
    case 'assert':
      if (!(await evaluateCondition(step.that, ctx))) {
        throw ApplicationFailure.create({
          nonRetryable: true,
          type: 'AssertionFailed',
          message: `${step.id}: ${step.message.en}`,
        });
      }
      return true;
    case 'approval':
      // Definitions refuse approval steps where items have no workflow (definition-checks.ts).
      if (!where.gate)
        throw ApplicationFailure.create({
          nonRetryable: true,
          type: 'ApprovalNeedsItemWorkflow',
          message: `${step.id}: an approval step needs the item's own workflow (itemWorkflows: true)`,
        });
      return runApprovalStep(step, ctx, input, where.gate, result);
  }
}

async function runBotStep(step: BotStep, ctx: StepContext, input: ItemInput, where: StepPlace): Promise<unknown> {
  const waitMs =
    input.allowedHours === undefined
      ? await botPlanning.botWaitMs({ bot: step.bot })
      : allowedHoursWait(step, input.allowedHours);
  if (waitMs > 0) {
    // Outside the system's allowed hours: a durable timer, visible in the UI, instead of a job
    // that sits in Redis while its activity times out.
    setCurrentDetails(`Step ${step.id}: waiting ${Math.round(waitMs / 60000)} min for the system's allowed hours`);
    await sleep(waitMs);
  }
  const retry = step.retry ?? {
    maximumAttempts: 5,
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '1m',
  };
  const bots = proxyActivities<BotActivities>({
    ...(where.activityIdFor && { activityId: where.activityIdFor(step.id) }),
    startToCloseTimeout: step.timeout,
    // The bot worker heartbeats while it works; a killed worker is noticed within this time and
    // Temporal dispatches a new job. The bot worker fences its job by the same timing.
    heartbeatTimeout: botHeartbeatTimeoutMs,
    retry: {
      maximumAttempts: retry.maximumAttempts,
      initialInterval: retry.initialInterval as `${number}s`,
      backoffCoefficient: retry.backoffCoefficient,
      maximumInterval: retry.maximumInterval as `${number}s`,
      nonRetryableErrorTypes: ['BotInputInvalid', 'BotBusinessError', 'BotOutputInvalid'],
    },
  });
  return bots.runBot({
    bot: step.bot,
    input: await render(step.inputs, ctx),
    idempotencyKey: `${where.itemId}.${step.id}`,
    automationId: input.automationId,
    runId: input.runWorkflowId,
    itemKey: input.item.key,
    stepId: step.id,
    approvalAhead: approvalFollows(input.definition.steps, step.id),
  });
}

/**
 * A step's template (bot inputs, set values). Plain field paths are read synchronously, without
 * JSONata's promises, each of which costs the workflow a stack trace (definitions/simple-path.ts).
 */
function render(template: unknown, ctx: StepContext): unknown {
  const now = renderTemplateNow(template, ctx);
  return now ? now.value : renderTemplate(template, ctx);
}

/**
 * How long to wait for the step's system to open. Computed here from the hours the run carries
 * (pure and deterministic: the workflow clock, Intl), which saves a local activity per bot step.
 * Items started before runs carried the hours have none in their input and replay through the
 * old local activity (see runBotStep). (Not `patched()`: it upserts a search attribute, a
 * visibility write per item.) Synchronous: every promise in a workflow costs a stack trace.
 */
function allowedHoursWait(step: BotStep, allowedHours: NonNullable<ItemInput['allowedHours']>): number {
  const hours = allowedHours[systemOf(step.bot)];
  try {
    return msUntilAllowed(hours, new Date());
  } catch {
    // A window that never opens: no wait here; the bot worker refuses the job with the reason.
    return 0;
  }
}

async function runApprovalStep(
  step: ApprovalStep,
  ctx: StepContext,
  input: ItemInput,
  gate: ApprovalGate,
  result: ItemResult,
): Promise<boolean> {
  if (!(await evaluateCondition(step.when, ctx))) return true;
  result.flagged = true;
  const approvalId = `${workflowInfo().workflowId}.${step.id}`;
  const requestedAt = new Date();
  const dueAt = new Date(requestedAt.getTime() + durationMs(step.timeout));
  const ref = {
    approvalId,
    automationId: input.automationId,
    runId: input.runWorkflowId,
    itemKey: input.item.key,
    stepId: step.id,
  };
  // Open the gate before the inbox row exists, so a decision made the moment the row appears is
  // never refused as "unknown approval".
  const view = {
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
    itemWorkflowId: workflowInfo().workflowId,
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

  const decision = gate.decisionFor(approvalId) ?? timeoutDecision(gate, approvalId);
  const timedOut = !decided;
  await engineLocal.recordDecision({
    ...ref,
    status: timedOut ? 'timed-out' : decision.decision === 'approve' ? 'approved' : 'rejected',
    actor: decision.actor,
    comment: decision.comment,
    at: decision.decidedAt,
  });
  if (!timedOut) result.touched = true;
  if (decision.decision === 'approve') {
    result.approved = true;
    ctx.steps[step.id] = { decision: 'approve', actor: decision.actor };
    return true;
  }
  result.outcome = 'rejected';
  result.error = timedOut
    ? `${step.id}: no decision before the deadline`
    : `${step.id}: rejected by ${decision.actor}: ${decision.comment ?? ''}`;
  return false;
}

async function waitForDecision(gate: ApprovalGate, approvalId: string, timeout: string): Promise<boolean> {
  return condition(() => gate.decisionFor(approvalId) !== undefined, timeout as `${number}d`);
}

function timeoutDecision(gate: ApprovalGate, approvalId: string) {
  const decision = {
    approvalId,
    decision: 'reject' as const,
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

function setStatus(status: ItemStatus): void {
  upsertSearchAttributes([{ key: SA.status, value: status }]);
}

function describeFailure(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause) return err.cause.message;
  return err instanceof Error ? err.message : String(err);
}

const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function durationMs(d: string): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(d);
  if (!m) throw ApplicationFailure.nonRetryable(`bad duration ${d}`);
  return Number(m[1]) * unitMs[m[2]];
}
