/**
 * Profiling aid: why Chromium spends more CPU per task inside the pipeline than in the plain loop
 * (bench/RESULTS.md). Three variants of the same form task, same browser settings,
 * blocks alternating over the rounds, Chromium's CPU read from /proc for this process's
 * descendants:
 *   - the plain playwright-core loop (the pipeline benchmark's baseline);
 *   - the bot runtime's own path (BrowserPool, executeBot, the session carried between jobs), no
 *     Temporal or queue: does the bot runtime make Chromium work more?
 *   - the plain loop while another process keeps `--load` per cent of one core busy touching a
 *     32 MB buffer (as the Temporal server and the workers do in the pipeline): does sharing the
 *     two cores make the same task cost Chromium more?
 *
 *   npx tsx bench/browser-share.ts [--tasks 150] [--slots 4] [--rounds 3] [--load 35]
 * --load is meant to match what the pipeline adds next to Chromium: the Temporal server's and the
 * workers' extra CPU per item times the pipeline's items/s (the pipeline benchmark prints both).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { BrowserPool } from '../bot-runtime/browser-pool.js';
import { executeBot } from '../bot-runtime/execute-bot.js';
import type { SessionCache } from '../bot-runtime/system-session.js';
import { numericArgs } from './lib/args.js';
import { descendantsCpuMs, processCpuMs } from './lib/cpu-meter.js';
import { formRows, launchBaselineBrowser, plainPlaywrightLoop } from './lib/plain-playwright.js';
import { fmt, line, mean } from './lib/stats.js';
import { fillFormBot } from './fixtures/bench-bots.js';
import { startFormApp } from '../test/fixtures/form-app.js';

const args = numericArgs({ tasks: 150, slots: 4, rounds: 3, load: 35 });
if (args.load > 100) throw new Error('bench: --load is a percentage of one core (0–100)');

// Busy `on` ms out of every 20 ms, touching a 32 MB buffer at random (caches and memory bus, like
// a server does), until killed.
const COMPETITOR = `const on = ${(args.load / 100) * 20}; const buf = new Float64Array(4 << 20); let i = 1;
function burn() { const end = performance.now() + on; while (performance.now() < end) for (let k = 0; k < 4096; k++) buf[(i = (i * 1103515245 + 12345) & 4194303)] += 1; setTimeout(burn, 20 - on); }
burn();`;

const app = await startFormApp();
const browser = await launchBaselineBrowser();
const pool = new BrowserPool({ recycleAfterJobs: Number.MAX_SAFE_INTEGER, log: pino({ level: 'silent' }) });
const artifactDir = mkdtempSync(join(tmpdir(), 'avlasta-browser-share-'));
const sessions: SessionCache = new Map();
const never = new AbortController().signal;
const quietLog = { info() {}, warn() {}, error() {} };
let serial = 0;

/** The rows through the bot runtime, `slots` at a time, as the bot worker runs its jobs. */
async function viaBotRuntime(rows: ReturnType<typeof formRows>): Promise<void> {
  let next = 0;
  const loop = async () => {
    while (next < rows.length) {
      const row = rows[next++];
      await executeBot({
        bot: fillFormBot,
        input: row,
        pool,
        saved: [],
        artifactDir,
        artifactPrefix: row.ref,
        sessions,
        system: 'bench',
        evidenceScreenshot: false,
        trace: false,
        mayAct: () => true,
        inFlight: { requests: 0 },
        context: {
          log: quietLog,
          secrets: {},
          signal: never,
          idempotencyKey: row.ref,
          attempt: 1,
          baseUrl: app.baseUrl,
        },
      });
    }
  };
  await Promise.all(Array.from({ length: args.slots }, loop));
}

type Name = 'plain loop' | 'bot runtime path' | 'plain loop, shared cores';
const results = new Map<Name, { chromiumMs: number[]; rate: number[] }>();
async function block(name: Name): Promise<void> {
  const rows = formRows(`bs${serial++}`, args.tasks);
  const competitor =
    name === 'plain loop, shared cores' ? spawn(process.execPath, ['-e', COMPETITOR], { stdio: 'ignore' }) : undefined;
  const competitorPids = competitor?.pid === undefined ? [] : [competitor.pid];
  const before = descendantsCpuMs() - processCpuMs(competitorPids);
  const t0 = performance.now();
  if (name === 'bot runtime path') await viaBotRuntime(rows);
  else await plainPlaywrightLoop(browser, app.baseUrl, rows, args.slots);
  const ms = performance.now() - t0;
  // The competitor is a descendant too: its own CPU is not Chromium's.
  const chromiumMs = descendantsCpuMs() - processCpuMs(competitorPids) - before;
  competitor?.kill();
  const r = results.get(name) ?? { chromiumMs: [], rate: [] };
  r.chromiumMs.push(chromiumMs / args.tasks);
  r.rate.push(args.tasks / (ms / 1000));
  results.set(name, r);
}

try {
  // Warm both browsers outside the measured blocks.
  await plainPlaywrightLoop(browser, app.baseUrl, formRows('warm', 20), args.slots);
  await viaBotRuntime(formRows('warm-rt', 20));
  const order: Name[] = ['plain loop', 'bot runtime path', 'plain loop, shared cores'];
  for (let round = 0; round < args.rounds; round++) {
    for (const name of round % 2 === 0 ? order : [...order].reverse()) await block(name);
  }
  for (const [name, r] of results) {
    line(
      name,
      `Chromium ${fmt(mean(r.chromiumMs))} ms CPU per task (blocks: ${r.chromiumMs.map((x) => fmt(x, 0)).join(', ')}), ${fmt(mean(r.rate))} tasks/s`,
    );
  }
} finally {
  await pool.close();
  await browser.close();
  await app.close();
  rmSync(artifactDir, { recursive: true, force: true });
}
const per = (n: Name) => mean(results.get(n)!.chromiumMs);
console.log(
  `SUMMARY browser-share: Chromium CPU per form task: plain loop ${fmt(per('plain loop'))} ms, bot runtime path ${fmt(per('bot runtime path'))} ms, plain loop with ${args.load} % of a core taken by another process ${fmt(per('plain loop, shared cores'))} ms`,
);
