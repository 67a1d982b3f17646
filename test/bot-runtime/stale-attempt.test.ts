/**
 * A job whose activity attempt has been superseded (it waited in Redis past the heartbeat
 * timeout, so Temporal dispatched a new attempt and a new job) must neither run its bot nor
 * complete the newer attempt. Real Temporal, Redis, Chromium and form app: the first attempt's
 * job is left in the queue with no bot worker until Temporal retries, then a worker takes both.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBotRuntimeLogger } from '../../bot-runtime/logger.js';
import { startBotWorker } from '../../bot-runtime/worker.js';
import { startBotHarness, type BotHarness } from '../fixtures/bot-harness.js';
import { startFormApp, type FormApp } from '../fixtures/form-app.js';

let app: FormApp;
let h: BotHarness;

beforeAll(async () => {
  app = await startFormApp();
  h = await startBotHarness({ formapp: { baseUrl: app.baseUrl, concurrency: 2 } });
});

afterAll(async () => {
  await h?.close();
  await app?.close();
});

it('skips the job of a superseded attempt and completes the step once, from the newer attempt', async () => {
  const run = await h.start({
    bot: 'formapp.register',
    input: { name: 'Stina Stale', amount: 10 },
    maximumAttempts: 5,
    heartbeatTimeout: '3s',
  });
  const queue = h.queues.queueFor('formapp');
  // No bot worker yet: attempt 1's job waits unheartbeated until Temporal times it out and
  // attempt 2 enqueues its own job.
  const waitingAttempts = async () =>
    (await queue.getJobs(['waiting']))
      .filter((j) => j.data.workflowId === run.workflowId)
      .map((j) => j.data.attempt as number);
  const deadline = Date.now() + 30_000;
  while (!(await waitingAttempts()).includes(2)) {
    if (Date.now() > deadline) throw new Error('attempt 2 was never enqueued');
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(await waitingAttempts()).toContain(1);

  const worker = await startBotWorker({
    config: h.config,
    registry: h.registry,
    stores: h.stores,
    prefix: h.prefix,
    heartbeatIntervalMs: 1000,
    logger: createBotRuntimeLogger('silent'),
  });
  try {
    const output = (await run.result()) as { registrationNumber: string };
    expect(output.registrationNumber).toMatch(/^REG-\d{5}$/);
  } finally {
    await worker.close();
  }
  expect(app.count(run.request.idempotencyKey)).toBe(1);
  const entries = await h.stores.audit.query({ itemKey: run.request.itemKey });
  const attemptsOf = (event: string) => entries.filter((e) => e.event === event).map((e) => e.details.attempt);
  expect(attemptsOf('step.started')).not.toContain(1);
  expect(attemptsOf('step.completed')).toHaveLength(1);
  expect(attemptsOf('step.completed')[0]).toBeGreaterThanOrEqual(2);
});
