/**
 * Profiling aid: what each per-job extra of the bot runtime costs around the same browser task,
 * measured in isolation (no Temporal): a bare context (the plain-Playwright baseline), + tracing
 * with snapshots, + storageState, + cookies only, + evidence screenshots of several kinds, and the
 * SQLite audit append with synchronous=FULL vs NORMAL. Each variant runs as a block of tasks
 * (blocks alternate over the rounds) so its CPU can be read from /proc: the machine's busy time
 * per task (on a quiet machine that is Chromium + this process) and this process's share.
 *
 *   npx tsx bench/job-costs.ts [--tasks 60] [--slots 2] [--rounds 2] [--only 0,10,11]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { AuditAnchor } from '../audit/anchor.js';
import { SqliteAuditStore } from '../audit/sqlite-audit.js';
import { migrateSqlite } from '../store/open-stores.js';
import { numericArgs } from './lib/args.js';
import { formRows, launchBaselineBrowser } from './lib/plain-playwright.js';
import { fmt, line, mean, percentile } from './lib/stats.js';
import { fillForm } from './fixtures/bench-bots.js';
import { createCpuMeter, descendantsCpuMs } from './lib/cpu-meter.js';
import { captureFullPage } from '../bot-runtime/capture-page.js';
import { startFormApp } from '../test/fixtures/form-app.js';

// --only 0,10,11 runs a subset of the variants (by index) for a longer look at those in question.
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt > 0 ? process.argv[onlyAt + 1]?.split(',').map(Number) : undefined;
const args = numericArgs(
  { tasks: 60, slots: 2, rounds: 2 },
  process.argv.slice(2).filter((_, i) => onlyAt < 0 || (i !== onlyAt - 2 && i !== onlyAt - 1)),
);
type Shot = 'png-full' | 'png-viewport' | 'jpeg-full' | 'jpeg-viewport' | 'cdp-jpeg-fast' | 'cdp-png-fast' | 'none';
type Variant = { name: string; trace: boolean; storage: 'state' | 'cookies' | 'none'; screenshot: Shot };
const allVariants: Variant[] = [
  { name: 'bare context (baseline)', trace: false, storage: 'none', screenshot: 'none' },
  { name: '+ tracing (snapshots)', trace: true, storage: 'none', screenshot: 'none' },
  { name: '+ storageState', trace: false, storage: 'state', screenshot: 'none' },
  { name: '+ cookies only', trace: false, storage: 'cookies', screenshot: 'none' },
  { name: '+ screenshot PNG full page', trace: false, storage: 'none', screenshot: 'png-full' },
  { name: '+ screenshot PNG viewport', trace: false, storage: 'none', screenshot: 'png-viewport' },
  { name: '+ screenshot JPEG full page', trace: false, storage: 'none', screenshot: 'jpeg-full' },
  { name: '+ screenshot JPEG viewport', trace: false, storage: 'none', screenshot: 'jpeg-viewport' },
  { name: '+ CDP JPEG optimizeForSpeed', trace: false, storage: 'none', screenshot: 'cdp-jpeg-fast' },
  { name: '+ CDP PNG optimizeForSpeed', trace: false, storage: 'none', screenshot: 'cdp-png-fast' },
  { name: '+ storageState + PNG full page', trace: false, storage: 'state', screenshot: 'png-full' },
  { name: '+ storageState + CDP PNG fast', trace: false, storage: 'state', screenshot: 'cdp-png-fast' },
];
const variants = only ? only.map((i) => allVariants[i] ?? failUsage(i)) : allVariants;
function failUsage(i: number): never {
  throw new Error(
    `bench: --only ${i}: no such variant (0–${allVariants.length - 1}: ${allVariants.map((v) => v.name).join(', ')})`,
  );
}
const cpuMeter = createCpuMeter();
const cpu = new Map<string, { machineMs: number; selfMs: number; chromiumMs: number; tasks: number }>(
  variants.map((v) => [v.name, { machineMs: 0, selfMs: 0, chromiumMs: 0, tasks: 0 }]),
);
const dir = mkdtempSync(join(tmpdir(), 'avlasta-jobcosts-'));
const app = await startFormApp();
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
    if (v.storage === 'state') await context.storageState();
    if (v.storage === 'cookies') await context.cookies();
    if (v.screenshot === 'png-full') await page.screenshot({ path: join(dir, `${i}.png`), fullPage: true });
    if (v.screenshot === 'png-viewport') await page.screenshot({ path: join(dir, `${i}.png`) });
    if (v.screenshot === 'jpeg-full')
      await page.screenshot({ path: join(dir, `${i}.jpg`), fullPage: true, type: 'jpeg', quality: 70 });
    if (v.screenshot === 'jpeg-viewport')
      await page.screenshot({ path: join(dir, `${i}.jpg`), type: 'jpeg', quality: 70 });
    if (v.screenshot === 'cdp-png-fast') await captureFullPage(page, join(dir, `${i}.png`)); // the bot runtime's own
    if (v.screenshot === 'cdp-jpeg-fast') {
      const cdp = await context.newCDPSession(page);
      const { data } = await cdp.send('Page.captureScreenshot', {
        format: 'jpeg',
        quality: 70,
        optimizeForSpeed: true,
        captureBeyondViewport: true,
      });
      await writeFile(join(dir, `${i}.jpg`), Buffer.from(data, 'base64'));
    }
  } finally {
    await context.close();
  }
  times.get(v.name)!.push(performance.now() - t0);
}

const signed = (n: number) => `${n >= 0 ? '+' : ''}${fmt(n)}`;

try {
  let serial = 0;
  for (let round = 0; round < args.rounds; round++) {
    // Alternate the order so a slow drift of the machine does not favour one variant.
    for (const v of round % 2 === 0 ? variants : [...variants].reverse()) {
      let next = 0;
      const loop = async () => {
        while (next++ < args.tasks) {
          const i = serial++;
          await task(browser, v, `jc-${i}`, i);
        }
      };
      const before = cpuMeter.snapshot();
      const chromiumBefore = descendantsCpuMs();
      await Promise.all(Array.from({ length: args.slots }, loop));
      const spent = cpuMeter.between(before, cpuMeter.snapshot());
      const c = cpu.get(v.name)!;
      c.chromiumMs += descendantsCpuMs() - chromiumBefore;
      c.machineMs += spent.machineMs;
      c.selfMs += spent.selfMs;
      c.tasks += args.tasks;
    }
  }
  const base = percentile(times.get(variants[0].name)!, 50);
  const baseCpu = cpu.get(variants[0].name)!;
  const perTask = (c: { chromiumMs: number; tasks: number }) => c.chromiumMs / c.tasks;
  for (const v of variants) {
    const t = times.get(v.name)!;
    const c = cpu.get(v.name)!;
    const machine = c.machineMs / c.tasks;
    line(
      v.name,
      `p50 ${fmt(percentile(t, 50))} ms (${signed(percentile(t, 50) - base)}), mean ${fmt(mean(t))} ms; ` +
        `CPU per task ${fmt(machine)} ms (${signed(machine - baseCpu.machineMs / baseCpu.tasks)}), of it this process ${fmt(c.selfMs / c.tasks)} ms, ` +
        `Chromium ${fmt(perTask(c))} ms (${signed(perTask(c) - perTask(baseCpu))})`,
    );
  }
  for (const sync of ['FULL', 'NORMAL']) {
    const db = new Database(join(dir, `audit-${sync}.db`));
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${sync}`);
    migrateSqlite(db);
    const anchor = new AuditAnchor({
      signingKeyFile: join(dir, 'audit-signing.key'),
      checkpointFile: join(dir, `audit-checkpoints-${sync}.jsonl`),
    });
    const store = new SqliteAuditStore(db, anchor, async () => {
      db.close();
    });
    const appends: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t0 = performance.now();
      await store.append([
        {
          actor: { kind: 'bot', id: 'bench.x' },
          event: 'step.completed',
          automationId: 'a',
          runId: 'r',
          itemKey: `k${i}`,
          stepId: 's',
          details: { n: i },
        },
      ]);
      appends.push(performance.now() - t0);
    }
    line(
      `audit append, synchronous=${sync}`,
      `p50 ${fmt(percentile(appends, 50), 2)} ms, p95 ${fmt(percentile(appends, 95), 2)} ms`,
    );
    await store.close();
  }
} finally {
  await browser.close();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}
