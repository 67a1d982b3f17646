/**
 * What the bot worker does with one job: check the job is still wanted, honour allowed hours,
 * open the sealed input, run the bot while heartbeating, validate its output, write the audit
 * entry and complete or fail the activity by workflowId + activityId.
 */
import { ApplicationFailure, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { maskPersonalData } from '../audit/mask.js';
import { resolveSecrets, type AvlastaConfig } from '../config.js';
import { systemOf, type BotLogger } from '../bots/define-bot.js';
import type { BotRegistry } from '../bots/registry.js';
import type { Stores } from '../store/types.js';
import { msUntilAllowed } from './allowed-hours.js';
import { artifactDir, artifactPrefix } from './artifacts.js';
import { isCurrentAttempt } from './attempt-check.js';
import type { BrowserPool } from './browser-pool.js';
import { executeBot, shouldTrace, type TracePolicy } from './execute-bot.js';
import { startHeartbeat } from './heartbeat.js';
import { describeZodError, type BotJobData } from './job.js';
import { openValue } from './sealed-input.js';
import { classifyBotError } from './classify-error.js';
import type { SessionCache } from './execute-bot.js';

export interface JobRunnerDeps {
  config: AvlastaConfig;
  registry: BotRegistry;
  stores: Stores;
  client: Client;
  pool: BrowserPool;
  payloadKey: Buffer;
  log: Logger;
  heartbeatIntervalMs: number;
  env: NodeJS.ProcessEnv;
  sessions: SessionCache;
  /** @defaultValue 'always' */
  tracePolicy?: TracePolicy;
}

export type JobOutcome = 'completed' | 'failed' | 'deferred' | 'stale' | 'cancelled';

export async function runBotJob(jobId: string, data: BotJobData, deps: JobRunnerDeps): Promise<{ outcome: JobOutcome; message?: string }> {
  const { client, config } = deps;
  const id = { workflowId: data.workflowId, activityId: data.activityId };
  const log = deps.log.child({ jobId, bot: data.bot, stepId: data.audit.stepId, attempt: data.attempt });
  const actor = { kind: 'bot' as const, id: data.bot };
  const fail = async (failure: ApplicationFailure, artifacts: string[] = []) => {
    await deps.stores.audit.append([{
      actor, event: 'step.failed', ...data.audit, artifacts,
      details: { bot: data.bot, attempt: data.attempt, type: failure.type, nonRetryable: failure.nonRetryable, error: failure.message },
    }]);
    await client.activity.fail(id, failure);
    log.warn({ type: failure.type, nonRetryable: failure.nonRetryable, artifacts: artifacts.length }, 'step failed');
    return { outcome: 'failed' as const, message: failure.message };
  };

  if (!(await isCurrentAttempt(client, data, log))) {
    log.info('stale job skipped: its activity attempt is no longer pending');
    return { outcome: 'stale' };
  }
  const bot = deps.registry.get(data.bot);
  if (!bot) return fail(ApplicationFailure.create({ nonRetryable: true, type: 'BotUnknown', message: `bot "${data.bot}" is not in this bot worker's registry` }));
  const system = systemOf(bot.id);
  const waitMs = msUntilAllowed(config.systems[system]?.allowedHours, new Date());
  if (waitMs > 0) {
    // Picked outside the window (the workflow waited, but the clock moved on): retry later.
    await client.activity.fail(id, ApplicationFailure.create({ type: 'OutsideAllowedHours', message: `${system} is outside its allowed hours`, nextRetryDelay: waitMs }));
    log.info({ waitMs }, 'outside allowed hours; retry scheduled');
    return { outcome: 'deferred' };
  }

  const heartbeat = startHeartbeat(client, id, deps.heartbeatIntervalMs, log, () => isCurrentAttempt(client, data, log));
  try {
    if (!(await heartbeat.beat({ phase: 'started', jobId }))) return settleAbort(heartbeat.reason, client, id, log);
    const parsedInput = bot.input.safeParse(openValue(deps.payloadKey, data.input));
    if (!parsedInput.success) {
      return fail(ApplicationFailure.create({ nonRetryable: true, type: 'BotInputInvalid', message: `${bot.id}: ${describeZodError('input', parsedInput.error)}` }));
    }
    let secrets: Record<string, string>;
    try {
      secrets = resolveSecrets(system, config, deps.env);
    } catch (err) {
      return fail(ApplicationFailure.create({ type: 'BotConfigInvalid', message: (err as Error).message }));
    }
    const saved: string[] = [];
    const started = Date.now();
    // Written before the bot touches the target system, so a step that dies mid-way is on record.
    await deps.stores.audit.append([{ actor, event: 'step.started', ...data.audit, details: { bot: bot.id, attempt: data.attempt } }]);
    let output: unknown;
    try {
      output = await executeBot({
        bot,
        input: parsedInput.data,
        pool: deps.pool,
        saved,
        artifactDir: artifactDir(config.dataDir, data),
        artifactPrefix: artifactPrefix(data),
        sessions: deps.sessions,
        system,
        evidenceScreenshot: config.evidenceScreenshots,
        trace: shouldTrace(deps.tracePolicy ?? 'always', data.attempt),
        context: {
          log: botLogger(log),
          secrets,
          signal: heartbeat.signal,
          idempotencyKey: data.idempotencyKey,
          attempt: data.attempt,
          baseUrl: config.systems[system]?.baseUrl ?? '',
        },
      });
    } catch (err) {
      if (heartbeat.reason) return settleAbort(heartbeat.reason, client, id, log);
      return fail(classifyBotError(bot.id, err), saved);
    }
    const parsedOutput = bot.output.safeParse(output);
    if (!parsedOutput.success) {
      return fail(ApplicationFailure.create({ nonRetryable: true, type: 'BotOutputInvalid', message: `${bot.id}: ${describeZodError('output', parsedOutput.error)}` }), saved);
    }
    if (!(await isCurrentAttempt(client, data, log))) {
      // A newer attempt owns the activity now; its job will find this work by idempotency key.
      log.warn('work done but the attempt is no longer current; not completing');
      return { outcome: 'stale' };
    }
    await deps.stores.audit.append([{
      actor, event: 'step.completed', ...data.audit, artifacts: saved,
      details: { bot: bot.id, attempt: data.attempt, durationMs: Date.now() - started, output: maskPersonalData(parsedOutput.data) },
    }]);
    await client.activity.complete(id, parsedOutput.data);
    log.info({ durationMs: Date.now() - started }, 'step completed');
    return { outcome: 'completed' };
  } finally {
    heartbeat.stop();
  }
}

async function settleAbort(reason: 'cancelled' | 'gone' | undefined, client: Client, id: { workflowId: string; activityId: string }, log: Logger) {
  if (reason === 'cancelled') {
    await client.activity.reportCancellation(id).catch((err: Error) => log.warn({ err: err.message }, 'could not report cancellation'));
    return { outcome: 'cancelled' as const };
  }
  return { outcome: 'stale' as const };
}

function botLogger(log: Logger): BotLogger {
  const child = log.child({ from: 'bot' });
  return {
    info: (msg, data) => child.info(data ?? {}, msg),
    warn: (msg, data) => child.warn(data ?? {}, msg),
    error: (msg, data) => child.error(data ?? {}, msg),
  };
}
