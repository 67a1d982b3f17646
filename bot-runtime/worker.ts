/**
 * Starts the bot runtime in this process: one BullMQ Worker per target system (its concurrency
 * and Redis-wide rate limit from configuration), one shared browser pool, heartbeats to Temporal.
 * Used by workers/bot-worker.ts, `npm start` and the tests.
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { AvlastaConfig, TracePolicy } from '../config.js';
import { systemOf } from '../temporal/names.js';
import type { BotRegistry } from '../bots/registry.js';
import { RateMeteredWorker, startBotJobTimer } from '../metrics/metered-worker.js';
import type { Stores } from '../store/types.js';
import { loadPayloadKeys } from '../temporal/payload-key.js';
import { connectClient } from '../temporal/connect.js';
import { BrowserPool } from './browser-pool.js';
import type { BotJobData } from './job.js';
import { createBotRuntimeLogger } from './logger.js';
import { createRedis, defaultQueuePrefix, queueName } from './queues.js';
import { startQueuedKeepalive } from './queued-keepalive.js';
import { createLeaseStore } from './lease.js';
import { runBotJob, type JobOutcome } from './run-job.js';

export interface BotWorkerOptions {
  config: AvlastaConfig;
  registry: BotRegistry;
  stores: Stores;
  /** Systems to serve. @defaultValue every configured system that has a bot in the registry */
  systems?: string[];
  /** Redis key prefix; must match the producer's (createBotQueues). @defaultValue 'avlasta' */
  prefix?: string;
  /** Keep well below the step's heartbeatTimeout (30 s in automationItem). @defaultValue 5000 */
  heartbeatIntervalMs?: number;
  /** A progress line is logged every this many jobs. @defaultValue 100 */
  progressEvery?: number;
  logger?: Logger;
  /** Where secret references "env:NAME" are read. @defaultValue process.env */
  env?: NodeJS.ProcessEnv;
  /** Which attempts record a Playwright trace (a CPU cost on every job). @defaultValue config.botTracing ('retries') */
  tracePolicy?: TracePolicy;
}

/**
 * BullMQ's limiter counts jobs in fixed windows that start with the first job, so `max: 5,
 * duration: 1000` lets 5 jobs in at the end of one window and 5 more at the start of the next:
 * up to 10 within one second. One job per `perMs / max` keeps every second at or under `max` and
 * spreads the load evenly, which a fragile legacy system prefers to bursts. The 5 % slack absorbs
 * the jitter between the limiter's moment in Redis and the request reaching the target system.
 */
export function evenlySpaced(rate: { max: number; perMs: number }): { max: number; duration: number } {
  const spacing = rate.perMs / rate.max;
  return { max: 1, duration: Math.ceil(spacing + Math.max(5, spacing * 0.05)) };
}

export interface RunningBotWorker {
  close(): Promise<void>;
}

export async function startBotWorker(opts: BotWorkerOptions): Promise<RunningBotWorker> {
  const { config, registry } = opts;
  const log = opts.logger ?? createBotRuntimeLogger();
  const systems = opts.systems ?? [...new Set([...registry.keys()].map(systemOf))].filter((s) => config.systems[s]);
  for (const system of systems) {
    if (!config.systems[system])
      throw new Error(`bot worker: system "${system}" is not configured (add systems.${system} with a baseUrl)`);
  }
  if (systems.length === 0)
    throw new Error('bot worker: no system to serve (configure systems.<name> for the registered bots)');

  guardAgainstStrayRejections(log);
  const prefix = opts.prefix ?? defaultQueuePrefix;
  const heartbeatIntervalMs = opts.heartbeatIntervalMs ?? 5_000;
  const client = await connectClient(config);
  const redis = createRedis(config);
  const pool = new BrowserPool({
    executablePath: config.chromiumPath,
    recycleAfterJobs: config.browserRecycleAfterJobs,
    log,
  });
  const workerName = `bot-worker-${process.pid}-${randomUUID().slice(0, 6)}`;
  const leases = createLeaseStore(config.redisUrl, prefix);
  const deps = {
    leases,
    holderId: workerName,
    config,
    registry,
    stores: opts.stores,
    client,
    pool,
    log,
    heartbeatIntervalMs,
    env: opts.env ?? process.env,
    payloadKey: loadPayloadKeys(config),
    sessions: new Map(),
    tracePolicy: opts.tracePolicy ?? config.botTracing,
  };
  const counts: Record<JobOutcome, number> = { completed: 0, failed: 0, deferred: 0, stale: 0, cancelled: 0 };
  let total = 0;
  const progressEvery = opts.progressEvery ?? 100;

  const workers = systems.map((system) => {
    const sys = config.systems[system];
    const worker = new RateMeteredWorker<BotJobData>(
      queueName(system),
      async (job) => {
        const finished = startBotJobTimer(system, job.timestamp);
        const result = await runBotJob(job.id ?? job.name, job.data, deps).catch((err: unknown) => {
          finished(job.data.bot, 'error');
          throw err;
        });
        finished(job.data.bot, result.outcome);
        counts[result.outcome]++;
        if (++total % progressEvery === 0) {
          log.info(
            {
              jobs: total,
              ...counts,
              browserGeneration: pool.generation,
              rssMb: Math.round(process.memoryUsage().rss / 1e6),
            },
            'bot worker progress',
          );
        }
        // Shown as failed in the queue dashboard; Temporal has already been told.
        if (result.outcome === 'failed') throw new Error(result.message);
        return result.outcome;
      },
      {
        connection: redis,
        prefix,
        concurrency: sys.concurrency,
        limiter: sys.rateLimit ? evenlySpaced(sys.rateLimit) : undefined,
        // Temporal owns retries: a job whose worker died is failed, not run again; the activity's
        // heartbeat timeout dispatches a new attempt (a new job) instead.
        maxStalledCount: 0,
        name: workerName,
      },
    );
    worker.on('error', (err) => log.error({ system, err: err.message }, 'queue worker error'));
    worker.on('failed', (job, err) => log.debug({ system, jobId: job?.id, err: err.message }, 'job failed'));
    return worker;
  });
  const keepaliveQueues = systems.map((system) => new Queue(queueName(system), { connection: redis, prefix }));
  const stopKeepalive = startQueuedKeepalive(client, keepaliveQueues, heartbeatIntervalMs * 2, log);
  log.info({ systems, prefix, pid: process.pid }, 'bot worker started');

  let closing: Promise<void> | undefined;
  return {
    close() {
      closing ??= (async () => {
        stopKeepalive();
        await Promise.all(workers.map((w) => w.close()));
        await Promise.all(keepaliveQueues.map((q) => q.close()));
        await pool.close();
        await client.connection.close();
        await leases.close();
        await redis.quit().catch(() => undefined);
        log.info({ jobs: total, ...counts }, 'bot worker stopped');
      })();
      return closing;
    },
  };
}

let guarded = false;

/**
 * A bot's stray promise (a wait nobody awaited when the page closed) must not take the whole
 * worker, and every other job with it, down: it is logged, and the job's own outcome stands.
 */
function guardAgainstStrayRejections(log: Logger): void {
  if (guarded) return;
  guarded = true;
  process.on('unhandledRejection', (reason) => {
    log.error(
      { err: reason instanceof Error ? reason.message : String(reason) },
      'unhandled promise rejection in a bot (ignored)',
    );
  });
}
