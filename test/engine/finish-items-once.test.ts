/**
 * finishItems records a batch of ended items: ledger rows and one `item.*` audit entry each. It
 * runs again when its worker died after the commit but before Temporal heard of it (a kill -9 of
 * the Temporal worker, a dropped database connection): the audit log must still hold each item's
 * end once. Real SQLite stores and the real activity code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStores } from '../../store/open-stores.js';
import { engineTestbed } from './engine-activity-fixture.js';
import type { Stores } from '../../store/types.js';
import type { ItemResult } from '../../workflows/types.js';

let dir: string;
let stores: Stores;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'avlasta-finish-once-'));
  stores = await openStores({ dataDir: dir });
});
afterAll(async () => {
  await stores?.close();
  rmSync(dir, { recursive: true, force: true });
});

const result = (key: string, outcome: ItemResult['outcome']): ItemResult => ({
  key,
  outcome,
  flagged: false,
  approved: false,
  touched: false,
  outputs: {},
  ...(outcome === 'failed' && { error: 'the form refused it' }),
});

it("writes each item's end once when the same batch is recorded again", async () => {
  const { activities } = engineTestbed(dir, stores);
  const runId = 'run.test-invoices.finish-once';
  const first = [result('A-1', 'done'), result('A-2', 'failed')];
  const env = new MockActivityEnvironment();
  await env.run(activities.finishItems, { automationId: 'test-invoices', runId, results: first });
  // The same batch again (its first run's result was lost), now with one more item.
  await env.run(activities.finishItems, {
    automationId: 'test-invoices',
    runId,
    results: [...first, result('A-3', 'done')],
  });

  const ends = (await stores.audit.query({ runId })).map((e) => `${e.itemKey}:${e.event}`);
  expect(ends.sort()).toEqual(['A-1:item.completed', 'A-2:item.failed', 'A-3:item.completed']);
  expect([...(await stores.ledger.doneKeys('test-invoices', ['A-1', 'A-2', 'A-3']))].sort()).toEqual(['A-1', 'A-3']);
  expect((await stores.audit.verify()).ok).toBe(true);
});
