/**
 * Systems without a reference field: two different items that name the same record (here a
 * supplier's contact person in Ekonomisystemet, which accepts the same contact twice) run at the
 * same time through the real runBot activity and bot worker. With the bot's natural key the second
 * job waits for the first's lease and then finds the contact: one record. Without it both look,
 * find nothing and create: two records (the race this lease exists for).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBotRuntimeLogger } from '../../bot-runtime/logger.js';
import { startBotWorker } from '../../bot-runtime/worker.js';
import { startEkonomi, type RunningEkonomi } from '../../demo/ekonomi/server.js';
import { startBotHarness, type BotHarness } from '../fixtures/bot-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'avlasta-natural-key-'));
const credentials = { username: 'robot', password: 'hemligt-losen' };
const bots = ['../../bots/ekonomi/add-contact.ts', '../fixtures/unkeyed-contact-bot.ts'].map((m) =>
  fileURLToPath(new URL(m, import.meta.url)),
);
let ekonomi: RunningEkonomi;
let h: BotHarness;
let worker: { close(): Promise<void> };

beforeAll(async () => {
  // Saving takes 1.5 s: long enough that two jobs started together both look before either saves.
  ekonomi = await startEkonomi({
    port: 0,
    dbFile: join(dir, 'ekonomi.db'),
    ...credentials,
    trouble: false,
    processingMs: 1500,
  });
  h = await startBotHarness(
    {
      ekonomi: {
        baseUrl: ekonomi.url,
        concurrency: 4,
        secrets: { username: 'env:NK_TEST_EKONOMI_USER', password: 'env:NK_TEST_EKONOMI_PASSWORD' },
      },
    },
    bots,
  );
  worker = await startBotWorker({
    config: h.config,
    registry: h.registry,
    stores: h.stores,
    prefix: h.prefix,
    heartbeatIntervalMs: 1000,
    logger: createBotRuntimeLogger('warn'),
    env: { NK_TEST_EKONOMI_USER: credentials.username, NK_TEST_EKONOMI_PASSWORD: credentials.password },
  });
});

afterAll(async () => {
  await worker?.close();
  await h?.close();
  await ekonomi?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Two items (two steps, two idempotency keys) naming one contact, started together. */
async function twoItemsOneContact(bot: string, email: string): Promise<unknown[]> {
  const input = { orgnr: '559900-0014', name: 'Karin Berg', email };
  const runs = await Promise.all(
    ['KP-1', 'KP-2'].map((itemKey) => h.start({ bot, input, itemKey, maximumAttempts: 1, heartbeatTimeout: '10s' })),
  );
  expect(runs[0].request.idempotencyKey).not.toBe(runs[1].request.idempotencyKey);
  return Promise.all(runs.map((r) => r.result()));
}

it('without a natural key, two items naming one contact both create it (the race is real)', async () => {
  await twoItemsOneContact('ekonomi.add-contact-unkeyed', 'utan.nyckel@example.com');
  expect(ekonomi.db.countContacts('559900-0014', 'utan.nyckel@example.com')).toBe(2);
});

it('with the natural key, they run one after the other: one contact, added once', async () => {
  const outputs = await twoItemsOneContact('ekonomi.add-contact', 'med.nyckel@example.com');
  expect(ekonomi.db.countContacts('559900-0014', 'med.nyckel@example.com')).toBe(1);
  expect(outputs).toEqual(expect.arrayContaining([{ added: true }, { added: false }]));
  // The lease is on a hash of the natural key: the e-mail address never reaches Redis.
  const redis = new Redis(h.config.redisUrl);
  const keys = await redis.keys(`${h.prefix}:lease:*`).finally(() => redis.quit());
  expect(keys.filter((k) => /:lease:nk:ekonomi:[0-9a-f]{64}$/.test(k))).toHaveLength(1);
  expect(keys.join(' ')).not.toContain('nyckel');
});
