/**
 * loadItems on a large file must heartbeat while it works: its heartbeat timeout (1 min) is
 * shorter than a long file's items take to read, check against the ledger, seal and audit, and an
 * activity that is silent that long is retried, to be silent again. Real activity code and SQLite stores; the activity context is
 * @temporalio/testing's MockActivityEnvironment, whose 'heartbeat' events are timed here, as is
 * the event loop's longest stall while the file is read.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LoadItemsResult } from '../../activities/engine-types.js';
import { openStores } from '../../store/open-stores.js';
import { engineTestbed, testInvoicesDefinition } from './engine-activity-fixture.js';
import type { Stores } from '../../store/types.js';

const rows = 150_000;
/**
 * The longest silence allowed, as a share of the whole load: parsing in one piece kept it silent
 * for about 40 % of it (8.6 s of 20 s here); heartbeating per chunk, under 10 %. A share, not a
 * number of seconds, so a slow or busy machine stretches both alike.
 */
const longestSilenceShare = 0.2;

let dir: string;
let stores: Stores;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'avlasta-load-big-'));
  stores = await openStores({ dataDir: dir });
  const lines = ['invoiceNumber;orgnr;amount;mode'];
  for (let i = 1; i <= rows; i++) lines.push(`BIG-${i};556000-0019;${(i % 9000) + 1},00;ok`);
  writeFileSync(join(dir, 'big.csv'), lines.join('\n'));
});
afterAll(async () => {
  await stores?.close();
  rmSync(dir, { recursive: true, force: true });
});

it(`heartbeats while it loads ${rows} rows, never silent for ${longestSilenceShare * 100} % of the load`, async () => {
  const definition = await testInvoicesDefinition();
  const { activities, stageInput } = engineTestbed(dir, stores);
  // Parsed where the run is started, as startRun does; the activity reads that parse.
  const inputPath = await stageInput(join(dir, 'big.csv'), definition);
  const env = new MockActivityEnvironment({ attempt: 1 });
  const started = Date.now();
  const beats: number[] = [];
  env.on('heartbeat', () => beats.push(Date.now()));
  // The event loop's longest stall: a timer that fires late by that much.
  let lastTick = Date.now();
  let longestStall = 0;
  const monitor = setInterval(() => {
    longestStall = Math.max(longestStall, Date.now() - lastTick - 20);
    lastTick = Date.now();
  }, 20);
  const result = (await env.run(activities.loadItems, {
    runWorkflowId: 'run.test-invoices.big',
    automationId: 'test-invoices',
    inputPath,
    fileName: 'big.csv',
    definition,
  })) as LoadItemsResult;
  clearInterval(monitor);

  const tookMs = Date.now() - started;
  expect(result.total).toBe(rows);
  const gaps = [started, ...beats].map((t, i, all) => (i === 0 ? 0 : t - all[i - 1]));
  expect(Math.max(...gaps)).toBeLessThan(tookMs * longestSilenceShare);
  expect(longestStall).toBeLessThan(tookMs * longestSilenceShare);
}, 180_000);
