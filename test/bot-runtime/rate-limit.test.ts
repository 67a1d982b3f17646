/**
 * A system's rate limit holds across bot workers: two workers share BullMQ's Redis-based limiter,
 * so 12 jobs at 5 per second never start more than 5 in any one second. Start times are BullMQ's
 * processedOn (when a worker took the job), the moment the limiter governs.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBotRuntimeLogger } from '../../bot-runtime/logger.js';
import { startBotWorker } from '../../bot-runtime/worker.js';
import { startBotHarness, type BotHarness } from '../fixtures/bot-harness.js';

const max = 5;
const perMs = 1000;
let h: BotHarness;
const workers: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  h = await startBotHarness({ formapp: { baseUrl: 'http://127.0.0.1:9', concurrency: 4, rateLimit: { max, perMs } } });
  const logger = createBotRuntimeLogger('warn');
  for (let i = 0; i < 2; i++) {
    workers.push(
      await startBotWorker({
        config: h.config,
        registry: h.registry,
        stores: h.stores,
        prefix: h.prefix,
        heartbeatIntervalMs: 1000,
        logger,
      }),
    );
  }
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await h?.close();
});

it(`starts at most ${max} jobs per ${perMs} ms across two workers`, async () => {
  const runs = await Promise.all(
    Array.from({ length: 12 }, (_, n) =>
      h.start({ bot: 'formapp.echo', input: { n }, maximumAttempts: 1, heartbeatTimeout: '10s' }),
    ),
  );
  const outputs = (await Promise.all(runs.map((r) => r.result()))) as { n: number; startedAt: number }[];
  const jobs = await h.queues.queueFor('formapp').getJobs(['completed']);
  const starts = jobs.map((j) => j.processedOn ?? 0).sort((a, b) => a - b);
  expect(outputs.map((o) => o.n).sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
  expect(new Set(jobs.map((j) => j.processedBy)).size, 'both workers took jobs').toBe(2);
  for (let i = 0; i < starts.length; i++) {
    const inWindow = starts.filter((t) => t >= starts[i] && t < starts[i] + perMs).length;
    expect(
      inWindow,
      `jobs starting within ${perMs} ms of job ${i} (starts: ${starts.map((t) => t - starts[0]).join(', ')})`,
    ).toBeLessThanOrEqual(max);
  }
  // 12 jobs at 5 per second cannot all start within two seconds.
  expect(starts[starts.length - 1] - starts[0]).toBeGreaterThanOrEqual(2 * perMs);
});
