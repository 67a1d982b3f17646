/**
 * A bot step: waits for the system's allowed hours with a durable timer, then the runBot activity
 * puts a job on the system's queue and a bot worker completes the activity (activities/run-bot.ts).
 * Deterministic code only.
 */
import { proxyActivities, setCurrentDetails, sleep } from '@temporalio/workflow';
import type { Duration, RetryPolicy } from '@temporalio/common';
import type { createBotActivities } from '../../activities/run-bot.js';
import { msUntilAllowed } from '../../calendar/allowed-hours.js';
import { approvalFollows } from '../../definitions/evidence.js';
import { renderTemplate, type ExpressionContext } from '../../definitions/expressions.js';
import type { BotStep } from '../../definitions/schema.js';
import { systemOf } from '../../temporal/names.js';
import type { ItemInput } from '../types.js';
import { botHeartbeatTimeoutMs } from '../../temporal/bot-step-timing.js';
import type { StepOutcome } from './outcome.js';
import type { ItemScope } from './scope.js';

type BotActivities = ReturnType<typeof createBotActivities>;

/**
 * How long a runBot attempt may go without a heartbeat. The bot worker heartbeats while it works
 * and while the job waits in its queue, so a killed worker or a lost job is noticed within this
 * time and Temporal retries the attempt (a new job). The bot worker fences its job by the same
 * figure (temporal/bot-step-timing.ts), so no two attempts of a step act at once.
 */
export const BOT_HEARTBEAT_TIMEOUT = botHeartbeatTimeoutMs;

/** Retries of a bot step whose definition names none: transient trouble in the target system. */
export const DEFAULT_BOT_RETRY = {
  maximumAttempts: 5,
  initialInterval: '2s',
  backoffCoefficient: 2,
  maximumInterval: '1m',
} as const satisfies RetryPolicy;

/** Failures no retry mends: the input or the output does not fit the bot, or the system said no. */
export const NON_RETRYABLE_BOT_FAILURES = ['BotInputInvalid', 'BotBusinessError', 'BotOutputInvalid'];

export async function runBotStep(step: BotStep, ctx: ExpressionContext, scope: ItemScope): Promise<StepOutcome> {
  const { input } = scope;
  const waitMs = allowedHoursWait(step, input.allowedHours);
  if (waitMs > 0) {
    // Outside the system's allowed hours: a durable timer, visible in the UI, instead of a job
    // that sits in Redis while its activity times out.
    setCurrentDetails(`Step ${step.id}: waiting ${Math.round(waitMs / 60000)} min for the system's allowed hours`);
    await sleep(waitMs);
  }
  const retry = step.retry ?? DEFAULT_BOT_RETRY;
  const bots = proxyActivities<BotActivities>({
    ...(scope.activityIdFor && { activityId: scope.activityIdFor(step.id) }),
    startToCloseTimeout: step.timeout as Duration,
    heartbeatTimeout: BOT_HEARTBEAT_TIMEOUT,
    retry: {
      maximumAttempts: retry.maximumAttempts,
      initialInterval: retry.initialInterval as Duration,
      backoffCoefficient: retry.backoffCoefficient,
      maximumInterval: retry.maximumInterval as Duration,
      nonRetryableErrorTypes: NON_RETRYABLE_BOT_FAILURES,
    },
  });
  const output = await bots.runBot({
    bot: step.bot,
    input: await renderTemplate(step.inputs, ctx),
    idempotencyKey: `${scope.itemId}.${step.id}`,
    automationId: input.automationId,
    runId: input.runWorkflowId,
    itemKey: input.item.key,
    stepId: step.id,
    approvalAhead: approvalFollows(input.definition.steps, step.id),
    ...(input.trial && { trial: true }),
  });
  return { kind: 'output', output };
}

/**
 * How long to wait for the step's system to open. Computed here from the hours the run carries
 * (pure and deterministic: the workflow clock, Intl), which saves a local activity per bot step.
 * Synchronous: every promise in a workflow costs a stack trace.
 */
function allowedHoursWait(step: BotStep, allowedHours: ItemInput['allowedHours']): number {
  try {
    return msUntilAllowed(allowedHours[systemOf(step.bot)], new Date());
  } catch {
    // A window that never opens: no wait here; the bot worker refuses the job with the reason.
    return 0;
  }
}
