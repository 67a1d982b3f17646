/**
 * A job may wait in Redis (rate limit, busy workers) longer than the step's heartbeat timeout.
 * This heartbeats the activities of waiting jobs so Temporal does not time them out and
 * dispatch duplicates, and drops waiting jobs whose activity was cancelled or is gone.
 */
import { ActivityCancelledError, ActivityNotFoundError, type Client } from '@temporalio/client';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { isFresh, taskTokenOf, type BotJobData } from './job.js';

/** Waiting jobs looked at per queue and round; beyond that Temporal's timeouts take over. */
const maxJobsPerRound = 200;

export function startQueuedKeepalive(client: Client, queues: Queue[], intervalMs: number, log: Logger): () => void {
  let running = false;
  const round = async () => {
    if (running) return;
    running = true;
    try {
      for (const queue of queues) {
        const jobs = await queue.getJobs(['waiting', 'prioritized', 'delayed'], 0, maxJobsPerRound - 1);
        await Promise.all(
          jobs.map(async (job) => {
            const data = job.data as BotJobData;
            const token = taskTokenOf(data);
            // Its attempt cannot time out yet; the next round beats it if it is still waiting.
            if (isFresh(data, Date.now())) return;
            try {
              await client.activity.heartbeat(token, { phase: 'queued', jobId: job.id });
            } catch (err) {
              if (!(err instanceof ActivityCancelledError || err instanceof ActivityNotFoundError)) return;
              await job.remove().catch(() => undefined); // a worker may have taken it meanwhile
              if (err instanceof ActivityCancelledError)
                await client.activity.reportCancellation(token).catch(() => undefined);
              log.info({ jobId: job.id, reason: err.name }, 'queued job dropped: its activity is no longer wanted');
            }
          }),
        );
      }
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'queued keepalive round failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void round(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
