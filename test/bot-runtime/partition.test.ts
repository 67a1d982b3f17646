/**
 * A bot worker loses its link to Temporal (a real TCP cut, toxiproxy) while the target's page is
 * slow. Temporal hears no heartbeat, times the attempt out and retries the step on a second
 * worker, which registers the record. The cut-off worker must have stopped driving its browser by
 * then: when its slow page finally arrives there is no page left to submit from, and the target
 * holds exactly one record for the key.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBotRuntimeLogger } from '../../bot-runtime/logger.js';
import { startBotWorker, type RunningBotWorker } from '../../bot-runtime/worker.js';
import { startToxiproxy, type Toxiproxy } from '../../chaos/toxiproxy.js';
import { startBotHarness, type BotHarness } from '../fixtures/bot-harness.js';
import { startFormApp, type FormApp } from '../fixtures/form-app.js';

let app: FormApp;
let h: BotHarness;
let proxy: Toxiproxy;
const workers: RunningBotWorker[] = [];

beforeAll(async () => {
  app = await startFormApp();
  h = await startBotHarness({ formapp: { baseUrl: app.baseUrl, concurrency: 1 } });
  proxy = await startToxiproxy();
});

afterAll(async () => {
  for (const worker of workers) await worker.close();
  await proxy?.close();
  await h?.close();
  await app?.close();
});

const slowPageMs = 8_000;

function startWorker(temporalAddress: string) {
  return startBotWorker({
    config: { ...h.config, temporal: { ...h.config.temporal, address: temporalAddress } },
    registry: h.registry,
    stores: h.stores,
    prefix: h.prefix,
    heartbeatIntervalMs: 500,
    logger: createBotRuntimeLogger('silent'),
  }).then((worker) => {
    workers.push(worker);
    return worker;
  });
}

it('a worker cut off from Temporal stops before the retry on another worker acts: one record', async () => {
  const link = await proxy.add('temporal-worker-a', h.config.temporal.address);
  const workerA = await startWorker(link);
  app.delayNextForm(slowPageMs);
  const run = await h.start({
    bot: 'formapp.register',
    input: { name: 'Petra Partition', amount: 250 },
    maximumAttempts: 5,
    heartbeatTimeout: '3s',
  });
  // Worker A looked the key up, found nothing and waits for the slow form page.
  await expect.poll(() => app.formViews, { timeout: 30_000, interval: 50 }).toBe(1);
  const slowPageDueAt = Date.now() + slowPageMs;
  await proxy.cut('temporal-worker-a');

  const workerB = await startWorker(h.config.temporal.address);
  const output = (await run.result()) as { registrationNumber: string };
  expect(output.registrationNumber).toMatch(/^REG-\d{5}$/);

  // Give worker A's slow page time to arrive and whatever A does after it, then heal the link.
  await new Promise((r) => setTimeout(r, Math.max(0, slowPageDueAt - Date.now()) + 3_000));
  await proxy.restore('temporal-worker-a');
  await workerA.close();
  await workerB.close();

  expect(app.count(run.request.idempotencyKey)).toBe(1);
  expect(app.posts).toBe(1);
  const completed = (await h.stores.audit.query({ itemKey: run.request.itemKey })).filter(
    (e) => e.event === 'step.completed',
  );
  expect(completed.map((e) => e.details.attempt)).toEqual([2]);
}, 90_000);
