/**
 * A job that waits in Redis longer than its step's heartbeat timeout (the system's only slot is
 * busy) must be kept alive by the bot worker's queued keepalive, not timed out and dispatched
 * again. With one attempt allowed, a missed keepalive fails the step. Real Temporal and Redis.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBotRuntimeLogger } from '../../bot-runtime/logger.js';
import { startBotWorker } from '../../bot-runtime/worker.js';
import { startBotHarness, type BotHarness } from '../fixtures/bot-harness.js';

let h: BotHarness;

beforeAll(async () => {
  h = await startBotHarness({ slowapp: { baseUrl: 'http://127.0.0.1:9', concurrency: 1 } });
});

afterAll(async () => {
  await h?.close();
});

it('keeps a queued job alive past the heartbeat timeout, so its single attempt completes', async () => {
  // Heartbeat timeout 3 s: the job is fresh for 1 s; the keepalive runs every 1 s after that.
  const worker = await startBotWorker({
    config: h.config,
    registry: h.registry,
    stores: h.stores,
    prefix: h.prefix,
    heartbeatIntervalMs: 500,
    logger: createBotRuntimeLogger('silent'),
  });
  try {
    const busy = await h.start({
      bot: 'slowapp.sleep',
      input: { ms: 8_000 },
      maximumAttempts: 1,
      heartbeatTimeout: '3s',
    });
    await expect
      .poll(async () => (await h.queues.queueFor('slowapp').getJobCounts('active')).active, { timeout: 10_000 })
      .toBe(1);
    const queued = await h.start({
      bot: 'slowapp.sleep',
      input: { ms: 0 },
      maximumAttempts: 1,
      heartbeatTimeout: '3s',
    });
    await expect(queued.result()).resolves.toEqual({ sleptMs: 0 });
    await expect(busy.result()).resolves.toEqual({ sleptMs: 8_000 });
    const started = (await h.stores.audit.query({ itemKey: queued.request.itemKey })).filter(
      (e) => e.event === 'step.started',
    );
    expect(started.map((e) => e.details.attempt)).toEqual([1]);
    const waitedMs =
      Date.parse(started[0].at) - Date.parse((await h.stores.audit.query({ itemKey: busy.request.itemKey }))[0].at);
    expect(waitedMs).toBeGreaterThan(3_000); // it really waited past the heartbeat timeout
  } finally {
    await worker.close();
  }
}, 40_000);
