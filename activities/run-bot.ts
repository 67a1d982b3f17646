/**
 * The bridge from a workflow's bot step to the bot workers: runBot validates the input, puts a
 * job on `bots.<system>` and returns without a result (CompleteAsyncError). The bot worker
 * completes the activity with the attempt's task token.
 */
import { activityInfo, CompleteAsyncError } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { AvlastaConfig } from '../config.js';
import { botJobId, describeZodError, type BotJobData } from '../bot-runtime/job.js';
import type { BotQueues } from '../bot-runtime/queues.js';
import { sealValue } from '../bot-runtime/sealed-input.js';
import type { BotDefinition } from '../bots/define-bot.js';
import { systemOf } from '../temporal/names.js';
import type { BotRegistry } from '../bots/registry.js';
import type { Stores } from '../store/types.js';
import { loadPayloadKeys } from '../temporal/payload-key.js';
import { botHeartbeatTimeoutMs } from '../temporal/bot-step-timing.js';

export interface RunBotRequest {
  bot: string;
  input: unknown;
  /** Stable across retries: `<itemWorkflowId>.<stepId>`. */
  idempotencyKey: string;
  automationId: string;
  runId: string;
  itemKey: string;
  stepId: string;
  /**
   * An approval step comes later in the automation, so the step's final page is evidence an
   * approver may want (definitions/evidence.ts).
   */
  approvalAhead: boolean;
  /** A trial run: the bot is told (ctx.trial) and commits nothing. */
  trial?: boolean;
}

export interface BotActivityDeps {
  config: AvlastaConfig;
  registry: BotRegistry;
  queues: BotQueues;
  stores: Stores;
}

export function createBotActivities(deps: BotActivityDeps) {
  const { config, registry, queues, stores } = deps;
  const payloadKey = loadPayloadKeys(config);

  function botOrFail(id: string): BotDefinition {
    const bot = registry.get(id);
    if (!bot) {
      throw ApplicationFailure.create({
        nonRetryable: true,
        type: 'BotInputInvalid',
        message: `bot: unknown bot "${id}" (known: ${[...registry.keys()].join(', ') || 'none'})`,
      });
    }
    return bot;
  }

  return {
    async runBot(req: RunBotRequest): Promise<unknown> {
      const bot = botOrFail(req.bot);
      const parsed = bot.input.safeParse(req.input);
      if (!parsed.success) {
        throw ApplicationFailure.create({
          nonRetryable: true,
          type: 'BotInputInvalid',
          message: `${bot.id}: ${describeZodError('input', parsed.error)}`,
        });
      }
      const system = systemOf(bot.id);
      if (!config.systems[system]) {
        throw ApplicationFailure.create({
          nonRetryable: true,
          type: 'BotSystemNotConfigured',
          message: `${bot.id}: system "${system}" is not configured (systems.${system}.baseUrl is needed)`,
        });
      }
      const info = activityInfo();
      const workflowId = info.workflowExecution?.workflowId;
      if (!workflowId)
        throw ApplicationFailure.create({
          nonRetryable: true,
          type: 'BotInputInvalid',
          message: 'runBot must be called from a workflow',
        });
      const audit = { automationId: req.automationId, runId: req.runId, itemKey: req.itemKey, stepId: req.stepId };
      if (info.attempt > 1) {
        await stores.audit.append([
          {
            actor: { kind: 'system', id: 'runBot' },
            event: 'step.retried',
            ...audit,
            details: { bot: bot.id, attempt: info.attempt },
          },
        ]);
      }
      const data: BotJobData = {
        bot: bot.id,
        input: sealValue(payloadKey, req.input),
        idempotencyKey: req.idempotencyKey,
        taskToken: Buffer.from(info.taskToken).toString('base64'),
        workflowId,
        activityId: info.activityId,
        attempt: info.attempt,
        heartbeatTimeoutMs: info.heartbeatTimeoutMs ?? botHeartbeatTimeoutMs,
        // From now, not from the attempt's start a moment ago: the bot worker's deadline fence
        // allows for the difference and for the clocks' skew (botClockAllowanceMs).
        deadlineAt: Date.now() + info.startToCloseTimeoutMs,
        audit,
        enqueuedAt: new Date().toISOString(),
        freshForMs: freshWindowMs(info.heartbeatTimeoutMs, info.startToCloseTimeoutMs),
        approvalAhead: req.approvalAhead,
        ...(req.trial && { trial: true }),
      };
      // Same id for a redelivered task: BullMQ keeps the first job and ignores this add.
      await queues
        .queueFor(system)
        .add(bot.id, data, { jobId: botJobId(workflowId, info.activityId, info.attempt), attempts: 1 });
      throw new CompleteAsyncError();
    },
  };
}

/**
 * A third of the attempt's shortest timeout: until then Temporal cannot have timed the attempt
 * out, so the bot worker may skip its staleness beat; the margin absorbs clock skew between hosts.
 */
function freshWindowMs(heartbeatTimeoutMs: number | undefined, startToCloseTimeoutMs: number): number {
  return Math.floor(Math.min(heartbeatTimeoutMs || Infinity, startToCloseTimeoutMs) / 3);
}
