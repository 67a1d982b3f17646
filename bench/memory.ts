/**
 * Benchmark 4: memory of a bot worker process (workers/bot-worker.ts, spawned) and its Chromium
 * children over many browser tasks through the full pipeline, 8 slots. PSS from
 * /proc/<pid>/smaps_rollup of the whole process tree, sampled every second; the task count is the
 * form app's POST count (this process).
 *
 *   npx tsx bench/memory.ts [--tasks 10000] [--slots 8] [--trace 0|1|2] [--screenshots 0|1|2]
 *   trace: 0 always, 1 retries only = the product default, 2 off; screenshots (of successful jobs):
 *   0 before approvals only = the product default (none here), 1 always, 2 never
 */
import { jobExtrasFromArgs, numericArgs } from './lib/args.js';
import { startBenchEngine } from './lib/engine.js';
import { formRows } from './lib/plain-playwright.js';
import { treeBreakdown, treeMemory, type TreeMemory } from '../metrics/proc-mem.js';
import { fmt, line, mean } from './lib/stats.js';
import { startFormApp } from '../test/fixtures/form-app.js';

const args = numericArgs({ tasks: 10_000, slots: 8, trace: 1, screenshots: 0 });
const { botTracing, evidenceScreenshots } = jobExtrasFromArgs(args);
const app = await startFormApp();
const engine = await startBenchEngine({
  systems: { bench: { baseUrl: app.baseUrl, concurrency: args.slots } },
  configExtra: { botTracing, evidenceScreenshots },
  botWorker: 'process',
});
const pid = engine.botWorkerProcess!.pid!;
const samples: { tasks: number; pssMb: number; rssMb: number; processes: number }[] = [];
// The breakdown by process kind is kept for the largest sample: it says where a peak comes from.
let peakBreakdown: { at: TreeMemory & { tasks: number }; kinds: ReturnType<typeof treeBreakdown> } | undefined;
const sample = () => {
  const s = { tasks: app.posts, ...treeMemory(pid) };
  samples.push(s);
  if (s.tasks > 0 && (!peakBreakdown || s.pssMb > peakBreakdown.at.pssMb))
    peakBreakdown = { at: s, kinds: treeBreakdown(pid) };
};
let summary = '';
try {
  sample();
  const idle = samples[0];
  line('idle bot worker (no browser yet) PSS', `${fmt(idle.pssMb)} MB`);
  const timer = setInterval(sample, 1000);
  const t0 = performance.now();
  let lastPrint = 0;
  const progress = setInterval(() => {
    if (app.posts - lastPrint >= args.tasks / 10) {
      lastPrint = app.posts;
      const s = samples.at(-1)!;
      line(`  after ${s.tasks} tasks`, `PSS ${fmt(s.pssMb)} MB, RSS ${fmt(s.rssMb)} MB, ${s.processes} processes`);
    }
  }, 1000);
  const { summary: run } = await engine.run('bench-form', formRows('m', args.tasks));
  clearInterval(timer);
  clearInterval(progress);
  sample();
  if (run.counts.done !== args.tasks) throw new Error(`run: ${JSON.stringify(run.counts)}`);
  const seconds = (performance.now() - t0) / 1000;
  const busy = samples.filter((s) => s.tasks > 0);
  const peak = Math.max(...busy.map((s) => s.pssMb));
  const final = samples.at(-1)!;
  const half = Math.max(250, args.tasks * 0.05);
  const window = (at: number) => busy.filter((s) => Math.abs(s.tasks - at) <= half).map((s) => s.pssMb);
  const early = window(args.tasks / 10);
  const late = busy.filter((s) => s.tasks >= args.tasks - 2 * half).map((s) => s.pssMb);
  const growth = (mean(late) / mean(early) - 1) * 100;
  line('tasks, seconds, tasks/s', `${args.tasks}, ${fmt(seconds)}, ${fmt(args.tasks / seconds)}`);
  line('peak / final PSS (worker + Chromium)', `${fmt(peak)} / ${fmt(final.pssMb)} MB`);
  line('peak RSS (sum, counts shared pages per process)', `${fmt(Math.max(...busy.map((s) => s.rssMb)))} MB`);
  line(
    'per slot: peak / slots; marginal (peak − idle) / slots',
    `${fmt(peak / args.slots)} MB; ${fmt((peak - idle.pssMb) / args.slots)} MB`,
  );
  line(`at the peak (task ${peakBreakdown?.at.tasks}), PSS by process kind`, '');
  for (const k of peakBreakdown?.kinds ?? []) line(`  ${k.kind} × ${k.count}`, `${fmt(k.pssMb)} MB`);
  line(
    `mean PSS near task ${args.tasks / 10} / last ${2 * half} tasks`,
    `${fmt(mean(early))} / ${fmt(mean(late))} MB (${early.length} / ${late.length} samples)`,
  );
  summary = `SUMMARY memory: ${args.tasks} browser tasks, ${args.slots} slots, tracing ${botTracing}, evidence screenshots ${evidenceScreenshots}: peak PSS ${fmt(peak, 0)} MB = ${fmt(peak / args.slots)} MB/slot (target ≤ 100), final ${fmt(final.pssMb, 0)} MB, growth task ${args.tasks / 10} → ${args.tasks} ${fmt(growth)} % (target < 10 %)`;
} finally {
  await engine.stop();
  await app.close();
}
console.log(summary);
