/**
 * What the bot worker does with one job: check the job is still wanted, honour allowed hours,
 * open the sealed input, run the bot while heartbeating, validate its output, write the audit
 * entry and complete or fail the activity. Every call to Temporal uses the attempt's task token,
 * which Temporal refuses (ActivityNotFoundError) once the attempt is no longer current: the
 * first heartbeat is the staleness check (skipped for a job picked up well within its attempt's
 * timeouts), and a stale job never completes a newer attempt. The bot runs under the step's
 * lease and the heartbeat's fence, so it never acts while another attempt of the step may, and,
 * when it declares a natural key, under that key's lease too (natural-key-lease.ts).
 */
import { ActivityNotFoundError, ApplicationFailure, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { maskPersonalData } from '../audit/mask.js';
import { keepsEvidence } from '../definitions/evidence.js';
import { resolveSecrets, type AvlastaConfig, type TracePolicy } from '../config.js';
import type { BotLogger } from '../bots/define-bot.js';
import { systemOf } from '../temporal/names.js';
import type { BotRegistry } from '../bots/registry.js';
import type { Stores } from '../store/types.js';
import { msUntilAllowed } from '../calendar/allowed-hours.js';
import { artifactDir, artifactPrefix } from './artifacts.js';
import type { BrowserPool } from './browser-pool.js';
import { executeBot, shouldTrace } from './execute-bot.js';
import { startHeartbeat, type StopReason } from './heartbeat.js';
import type { Lease, LeaseStore } from './lease.js';
import { acquireJobLeases, naturalKeyLease } from './natural-key-lease.js';
import { botFenceTiming, type BotFenceTiming } from '../temporal/bot-step-timing.js';
import { describeZodError, isFresh, taskTokenOf, type BotJobData } from './job.js';
import { openValue } from './sealed-input.js';
import type { PayloadKeys } from '../temporal/payload-key.js';
import { classifyBotError } from './classify-error.js';
import type { SessionCache } from './system-session.js';

export interface JobRunnerDeps {
  config: AvlastaConfig;
  registry: BotRegistry;
  stores: Stores;
  client: Client;
  pool: BrowserPool;
  payloadKey: PayloadKeys;
  log: Logger;
  heartbeatIntervalMs: number;
  /** Where the step leases live (bot-runtime/lease.ts). */
  leases: LeaseStore;
  /** Names this worker in lease records. */
  holderId: string;
  env: NodeJS.ProcessEnv;
  sessions: SessionCache;
  /** @defaultValue 'retries' */
  tracePolicy?: TracePolicy;
}

export type JobOutcome = 'completed' | 'failed' | 'deferred' | 'stale' | 'cancelled';

export async function runBotJob(
  jobId: string,
  data: BotJobData,
  deps: JobRunnerDeps,
): Promise<{ outcome: JobOutcome; message?: string }> {
  const { client, config } = deps;
  const log = deps.log.child({ jobId, bot: data.bot, stepId: data.audit.stepId, attempt: data.attempt });
  const token = taskTokenOf(data);
  const actor = { kind: 'bot' as const, id: data.bot };
  // The audit entries of a trial's steps say so: what they record was never committed.
  const trialMark = data.trial ? { trial: true } : {};
  const fail = async (failure: ApplicationFailure, artifacts: string[] = []) => {
    await deps.stores.audit.append([
      {
        actor,
        event: 'step.failed',
        ...data.audit,
        artifacts,
        details: {
          bot: data.bot,
          attempt: data.attempt,
          type: failure.type,
          nonRetryable: failure.nonRetryable,
          error: failure.message,
          ...trialMark,
        },
      },
    ]);
    if (!(await settle(client, () => client.activity.fail(token, failure), timing, log)))
      return { outcome: 'stale' as const };
    log.warn({ type: failure.type, nonRetryable: failure.nonRetryable, artifacts: artifacts.length }, 'step failed');
    return { outcome: 'failed' as const, message: failure.message };
  };

  const timing = botFenceTiming(data.heartbeatTimeoutMs);
  const fresh = isFresh(data, Date.now());
  const heartbeat = startHeartbeat({
    client,
    taskToken: token,
    // At least three beats within the fence, whatever the worker's setting.
    intervalMs: Math.min(deps.heartbeatIntervalMs, Math.round(timing.heartbeatFenceMs / 3)),
    timing,
    startedAt: fresh ? Date.parse(data.enqueuedAt) : Date.now(),
    deadlineAt: data.deadlineAt,
    log,
  });
  let lease: Lease | undefined;
  const inFlight = { requests: 0 };
  try {
    // The first beat is the staleness check: Temporal refuses the token of a superseded attempt.
    // A job picked up well within its attempt's timeouts skips it (one RPC and one history write
    // per step): only a timeout supersedes an attempt that early, and a cancellation or a
    // terminated workflow in that moment is still met by the next beat and by the token, which
    // Temporal refuses at completion. Bots are idempotent by key either way.
    if (!fresh && !(await heartbeat.beat({ phase: 'started', jobId }))) {
      if (heartbeat.reason === 'gone') log.info('stale job skipped: its activity attempt is no longer pending');
      // Not accepted and no answer why (Temporal unreachable): the job cannot know it is current.
      return stopped(heartbeat.reason ?? 'unreachable', [], timing);
    }
    const bot = deps.registry.get(data.bot);
    if (!bot)
      return fail(
        ApplicationFailure.create({
          nonRetryable: true,
          type: 'BotUnknown',
          message: `bot "${data.bot}" is not in this bot worker's registry`,
        }),
      );
    if (data.trial && !bot.trialSafe)
      // The run was checked when it started; this worker's bot may be another version of it.
      return fail(
        ApplicationFailure.create({
          nonRetryable: true,
          type: 'BotNotTrialSafe',
          message: `${bot.id} does not declare trialSafe: true, so it does not run in a trial`,
        }),
      );
    const system = systemOf(bot.id);
    const waitMs = msUntilAllowed(config.systems[system]?.allowedHours, new Date());
    if (waitMs > 0) {
      // Picked outside the window (the workflow waited, but the clock moved on): retry later.
      const deferred = ApplicationFailure.create({
        type: 'OutsideAllowedHours',
        message: `${system} is outside its allowed hours`,
        nextRetryDelay: waitMs,
      });
      if (!(await settle(client, () => client.activity.fail(token, deferred), timing, log)))
        return { outcome: 'stale' };
      log.info({ waitMs }, 'outside allowed hours; retry scheduled');
      return { outcome: 'deferred' };
    }
    const parsedInput = bot.input.safeParse(openValue(deps.payloadKey, data.input));
    if (!parsedInput.success) {
      return fail(
        ApplicationFailure.create({
          nonRetryable: true,
          type: 'BotInputInvalid',
          message: `${bot.id}: ${describeZodError('input', parsedInput.error)}`,
        }),
      );
    }
    let secrets: Record<string, string>;
    try {
      secrets = resolveSecrets(system, config, deps.env);
    } catch (err) {
      return fail(ApplicationFailure.create({ type: 'BotConfigInvalid', message: (err as Error).message }));
    }
    let naturalKey: string | undefined;
    try {
      naturalKey = naturalKeyLease(bot, system, parsedInput.data);
    } catch (err) {
      return fail(
        ApplicationFailure.create({
          nonRetryable: true,
          type: 'BotNaturalKeyInvalid',
          message: (err as Error).message,
        }),
      );
    }
    try {
      lease = await acquireJobLeases(deps.leases, {
        key: data.idempotencyKey,
        naturalKey,
        holder: `${deps.holderId}/${jobId}`,
        attempt: data.attempt,
        timing,
        signal: heartbeat.signal,
        log,
      });
    } catch (err) {
      if (heartbeat.reason) return stopped(heartbeat.reason, [], timing);
      return fail(
        ApplicationFailure.create({
          type: 'LeaseUnavailable',
          message: `the step's lease could not be taken (Redis): ${(err as Error).message}`,
        }),
      );
    }
    const held = lease;
    const fence = AbortSignal.any([heartbeat.signal, held.signal]);
    const mayAct = () => heartbeat.mayAct() && held.mayAct();
    const saved: string[] = [];
    const started = Date.now();
    // Written before the bot touches the target system, so a step that dies mid-way is on record.
    await deps.stores.audit.append([
      { actor, event: 'step.started', ...data.audit, details: { bot: bot.id, attempt: data.attempt, ...trialMark } },
    ]);
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
        evidenceScreenshot: keepsEvidence(config.evidenceScreenshots, data.approvalAhead),
        trace: shouldTrace(deps.tracePolicy ?? 'retries', data.attempt),
        mayAct,
        inFlight,
        context: {
          log: botLogger(log),
          secrets,
          signal: fence,
          idempotencyKey: data.idempotencyKey,
          attempt: data.attempt,
          baseUrl: config.systems[system]?.baseUrl ?? '',
          trial: data.trial === true,
        },
      });
    } catch (err) {
      if (fence.aborted) return stopped(heartbeat.reason ?? 'lease-lost', saved, timing);
      return fail(classifyBotError(bot.id, err), saved);
    } finally {
      await held.release(inFlight.requests > 0);
      lease = undefined;
    }
    const parsedOutput = bot.output.safeParse(output);
    if (!parsedOutput.success) {
      return fail(
        ApplicationFailure.create({
          nonRetryable: true,
          type: 'BotOutputInvalid',
          message: `${bot.id}: ${describeZodError('output', parsedOutput.error)}`,
        }),
        saved,
      );
    }
    // On record before Temporal hears of it: the work was done by this attempt, even if a newer
    // attempt has taken over meanwhile (that one finds the work by idempotency key).
    await deps.stores.audit.append([
      {
        actor,
        event: 'step.completed',
        ...data.audit,
        artifacts: saved,
        details: {
          bot: bot.id,
          attempt: data.attempt,
          durationMs: Date.now() - started,
          output: maskPersonalData(parsedOutput.data),
          ...trialMark,
        },
      },
    ]);
    if (!(await settle(client, () => client.activity.complete(token, parsedOutput.data), timing, log))) {
      log.warn('work done but the attempt is no longer current; a newer attempt completes the step');
      return { outcome: 'stale' };
    }
    log.info({ durationMs: Date.now() - started }, 'step completed');
    return { outcome: 'completed' };
  } finally {
    heartbeat.stop();
    await lease?.release(inFlight.requests > 0);
  }

  /**
   * The job stopped acting. Cancelled or gone: Temporal already knows. Fenced (Temporal
   * unreachable, deadline near, lease lost): a retryable failure, its retry no sooner than a
   * request this job sent last can land.
   */
  async function stopped(why: StopReason | 'lease-lost', artifacts: string[], t: BotFenceTiming) {
    if (why === 'cancelled' || why === 'gone') return settleAbort(why, client, token!, log);
    return fail(
      ApplicationFailure.create({
        type: 'BotFenced',
        message: `${data.bot}: stopped driving the browser (${fenceText[why]}); a later attempt looks the item up again`,
        nextRetryDelay: t.inFlightMarginMs,
      }),
      artifacts,
    );
  }
}

const fenceText: Record<'unreachable' | 'deadline' | 'lease-lost', string> = {
  unreachable: 'Temporal accepted no heartbeat in time',
  deadline: "the attempt's timeout was near",
  'lease-lost': "the step's lease could not be renewed",
};

/**
 * Completes or fails the attempt; false when Temporal refuses the token (a newer attempt exists).
 * Bounded by the heartbeat timeout: past it, Temporal times the attempt out and retries anyway.
 */
async function settle(
  client: Client,
  call: () => Promise<void>,
  timing: BotFenceTiming,
  log: Logger,
): Promise<boolean> {
  try {
    await client.connection.withDeadline(Date.now() + timing.heartbeatTimeoutMs, call);
    return true;
  } catch (err) {
    if (err instanceof ActivityNotFoundError) return false;
    log.error({ err: (err as Error).message }, 'could not report the result to Temporal');
    throw err;
  }
}

async function settleAbort(reason: 'cancelled' | 'gone', client: Client, token: Uint8Array, log: Logger) {
  if (reason === 'cancelled') {
    await client.activity
      .reportCancellation(token)
      .catch((err: Error) => log.warn({ err: err.message }, 'could not report cancellation'));
    return { outcome: 'cancelled' as const };
  }
  return { outcome: 'stale' as const };
}

/** The bot's `ctx.log`, into the runtime's masked, redacting logger. */
export function botLogger(log: Logger): BotLogger {
  const child = log.child({ from: 'bot' });
  return {
    info: (msg, data) => child.info(data ?? {}, msg),
    warn: (msg, data) => child.warn(data ?? {}, msg),
    error: (msg, data) => child.error(data ?? {}, msg),
  };
}
