/**
 * Profiling aid: what each per-job extra of the bot runtime costs around the same browser task,
 * measured in isolation (no Temporal), variants interleaved task by task: a bare context (the
 * plain-Playwright baseline), + tracing with snapshots, + storageState, + evidence screenshot,
 * and the SQLite audit append with synchronous=FULL vs NORMAL.
 *
 *   npx tsx bench/job-costs.ts [--tasks 60] [--slots 2]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { SqliteAuditStore } from '../audit/sqlite-audit.js';
import { migrateSqlite } from '../audit/open-stores.js';
import { numericArgs } from './lib/args.js';
import { formRows, launchBaselineBrowser } from './lib/plain-playwright.js';
import { fmt, line, mean, percentile } from './lib/stats.js';
import { fillForm } from './fixtures/bench-bots.js';
import { startBenchFormApp } from './fixtures/form-app.js';

const args = numericArgs({ tasks: 60, slots: 2 });
type Variant = { name: string; trace: boolean; storage: boolean; screenshot: boolean };
const variants: Variant[] = [
  { name: 'bare context (baseline)', trace: false, storage: false, screenshot: false },
  { name: '+ tracing (snapshots)', trace: true, storage: false, screenshot: false },
  { name: '+ storageState', trace: false, storage: true, screenshot: false },
  { name: '+ evidence screenshot', trace: false, storage: false, screenshot: true },
  { name: 'all (as the bot runtime does)', trace: true, storage: true, screenshot: true },
];
const dir = mkdtempSync(join(tmpdir(), 'avlasta-jobcosts-'));
const app = await startBenchFormApp();
const browser = await launchBaselineBrowser();
const times = new Map<string, number[]>(variants.map((v) => [v.name, []]));

async function task(b: Browser, v: Variant, ref: string, i: number) {
  const t0 = performance.now();
  const context = await b.newContext();
  try {
    if (v.trace) await context.tracing.start({ snapshots: true, screenshots: false });
    const page = await context.newPage();
    await fillForm(page, app.baseUrl, ref, formRows(ref, 1)[0]);
    if (v.trace) await context.tracing.stop();
    if (v.storage) await context.storageState();
    if (v.screenshot) await page.screenshot({ path: join(dir, `${i}.png`), fullPage: true });
  } finally {
    await context.close();
  }
  times.get(v.name)!.push(performance.now() - t0);
}

try {
  let next = 0;
  const total = args.tasks * variants.length;
  const loop = async () => {
    while (next < total) {
      const i = next++;
      await task(browser, variants[i % variants.length], `jc-${i}`, i);
    }
  };
  await Promise.all(Array.from({ length: args.slots }, loop));
  const base = percentile(times.get(variants[0].name)!, 50);
  for (const v of variants) {
    const t = times.get(v.name)!.slice(2);
    line(v.name, `p50 ${fmt(percentile(t, 50))} ms (${percentile(t, 50) - base >= 0 ? '+' : ''}${fmt(percentile(t, 50) - base)}), mean ${fmt(mean(t))} ms`);
  }
  for (const sync of ['FULL', 'NORMAL']) {
    const db = new Database(join(dir, `audit-${sync}.db`));
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${sync}`);
    migrateSqlite(db);
    const store = new SqliteAuditStore(db, async () => {
      db.close();
    });
    const appends: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t0 = performance.now();
      await store.append([{ actor: { kind: 'bot', id: 'bench.x' }, event: 'step.completed', automationId: 'a', runId: 'r', itemKey: `k${i}`, stepId: 's', details: { n: i } }]);
      appends.push(performance.now() - t0);
    }
    line(`audit append, synchronous=${sync}`, `p50 ${fmt(percentile(appends, 50), 2)} ms, p95 ${fmt(percentile(appends, 95), 2)} ms`);
    await store.close();
  }
} finally {
  await browser.close();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}
