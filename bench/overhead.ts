/**
 * Benchmark 2: what Avlasta adds over plain Temporal. (a) Added latency of a no-op bot step
 * (browser: false, through runBot → BullMQ → bot worker → async completion) over a plain no-op
 * activity, items one at a time, from the gaps between step completions in each item's history
 * (steps 2 and 3; step 1 also holds the item's start). (b) Items/s for 3-step items against the
 * hand-written baseline in fixtures/baseline-workflows.ts on the same server, alternating.
 * (c) Raw BullMQ jobs/s on the same Redis, for reference.
 * `--item-workflows 0` runs (b)'s Avlasta items inside their run (itemWorkflows: false,
 * bench-noop3-in-run); (a) reads item histories and keeps item workflows.
 *
 *   npx tsx bench/overhead.ts [--items 500] [--latency-items 60] [--rounds 2] [--bullmq-jobs 5000] [--workflows 0|1] [--item-workflows 1|0]
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Queue, Worker as QueueWorker } from 'bullmq';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { itemWorkflowId } from '../temporal/names.js';
import { numericArgs } from './lib/args.js';
import { createCpuMeter, type CpuSnapshot } from './lib/cpu-meter.js';
import { startBenchEngine, workflowVariants } from './lib/engine.js';
import { activityCompletions, historyEvents } from './lib/history.js';
import { findMetricsUrl, storeTotals, type StoreTotals } from './lib/server-metrics.js';
import { fmt, line, mean, percentile } from './lib/stats.js';

const args = numericArgs({
  items: 500,
  'latency-items': 60,
  rounds: 2,
  'bullmq-jobs': 5000,
  concurrency: 20,
  workflows: 0,
  'item-workflows': 1,
});
const throughputAutomation = args['item-workflows'] ? 'bench-noop3' : 'bench-noop3-in-run';
const engine = await startBenchEngine({
  systems: { bench: { baseUrl: 'http://127.0.0.1:9', concurrency: args.concurrency } },
  workflows: workflowVariants[args.workflows],
});
const baselineQueue = `bench-baseline-${randomUUID().slice(0, 8)}`;
const connection = await NativeConnection.connect({ address: engine.config.temporal.address });
const baselineWorker = await Worker.create({
  connection,
  taskQueue: baselineQueue,
  workflowsPath: fileURLToPath(new URL('./fixtures/baseline-workflows.ts', import.meta.url)),
  activities: { noop: async (n: number) => n },
  maxConcurrentActivityTaskExecutions: 200,
  maxConcurrentWorkflowTaskExecutions: 100,
});
const baselineRunning = baselineWorker.run();
// Plain client: no payload codec on the baseline side.
const plainClient = new Client({ connection: engine.client.connection, namespace: engine.config.temporal.namespace });

const rows = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ ref: `${prefix}-${i + 1}`, n: i }));
const gaps = (completions: number[]) => completions.slice(1).map((t, i) => t - completions[i]);

async function baselineBatch(items: number, concurrency: number): Promise<{ workflowId: string; ms: number }> {
  const workflowId = `bench-baseline-${randomUUID().slice(0, 8)}`;
  const t0 = performance.now();
  await plainClient.workflow.execute('baselineRun', {
    taskQueue: baselineQueue,
    workflowId,
    args: [{ items, concurrency }],
    workflowExecutionTimeout: '10m',
  });
  return { workflowId, ms: performance.now() - t0 };
}

let summary = '';
try {
  // Warm-up: bundles loaded, connections open, JIT.
  await engine.run(throughputAutomation, rows('warm', 40));
  await baselineBatch(40, args.concurrency);

  // (a) latency, one item at a time on both sides.
  const n = args['latency-items'];
  const lat = await engine.run('bench-noop3-serial', rows('lat', n));
  const avlastaGaps: number[] = [];
  for (let i = 1; i <= n; i++)
    avlastaGaps.push(
      ...gaps(
        activityCompletions(await historyEvents(engine.client, itemWorkflowId(lat.workflowId, `lat-${i}`)), 'runBot'),
      ),
    );
  const base = await baselineBatch(n, 1);
  const baseGaps: number[] = [];
  for (let i = 0; i < n; i++)
    baseGaps.push(
      ...gaps(activityCompletions(await historyEvents(engine.client, `${base.workflowId}.item.${i}`), 'noop')),
    );
  const p50Added = percentile(avlastaGaps, 50) - percentile(baseGaps, 50);
  const p95Added = percentile(avlastaGaps, 95) - percentile(baseGaps, 95);
  line(
    'step latency, plain activity p50 / p95',
    `${fmt(percentile(baseGaps, 50))} / ${fmt(percentile(baseGaps, 95))} ms`,
  );
  line(
    'step latency, Avlasta no-op bot p50 / p95',
    `${fmt(percentile(avlastaGaps, 50))} / ${fmt(percentile(avlastaGaps, 95))} ms`,
  );
  line('added per step p50 / p95', `${fmt(p50Added)} / ${fmt(p95Added)} ms`);

  // (b) throughput, alternating, with the CPU each part spends (both sides share the process).
  const avlastaRates: number[] = [];
  const baseRates: number[] = [];
  const meter = createCpuMeter();
  const zero = (): CpuSnapshot => ({ machineMs: 0, selfMs: 0, temporalMs: 0, redisMs: 0 });
  const cpu = { baseline: zero(), avlasta: zero() };
  const metricsUrl = await findMetricsUrl();
  const store = { baseline: { ms: 0, calls: 0 }, avlasta: { ms: 0, calls: 0 } };
  const metered = async <T>(into: CpuSnapshot, stored: StoreTotals, phase: () => Promise<T>): Promise<T> => {
    const before = meter.snapshot();
    const storeBefore = metricsUrl ? await storeTotals(metricsUrl) : undefined;
    const result = await phase();
    const d = meter.between(before, meter.snapshot());
    for (const k of Object.keys(into) as (keyof CpuSnapshot)[]) into[k] += d[k];
    if (metricsUrl && storeBefore) {
      const after = await storeTotals(metricsUrl);
      stored.ms += after.ms - storeBefore.ms;
      stored.calls += after.calls - storeBefore.calls;
    }
    return result;
  };
  for (let round = 1; round <= args.rounds; round++) {
    const b = await metered(cpu.baseline, store.baseline, () => baselineBatch(args.items, args.concurrency));
    baseRates.push(args.items / (b.ms / 1000));
    const a = await metered(cpu.avlasta, store.avlasta, () =>
      engine.run(throughputAutomation, rows(`r${round}`, args.items)),
    );
    if (a.summary.counts.done !== args.items) throw new Error(`round ${round}: ${JSON.stringify(a.summary.counts)}`);
    avlastaRates.push(args.items / (a.ms / 1000));
    line(`round ${round}: hand-written Temporal, 3 activities`, `${fmt(baseRates.at(-1)!)} items/s`);
    line(`round ${round}: Avlasta, 3 no-op bot steps`, `${fmt(avlastaRates.at(-1)!)} items/s`);
  }
  const ratio = mean(avlastaRates) / mean(baseRates);
  const per = (ms: number) => fmt(ms / (args.items * args.rounds));
  line(
    'CPU per item: machine (hand-written / Avlasta)',
    `${per(cpu.baseline.machineMs)} / ${per(cpu.avlasta.machineMs)} ms`,
  );
  line('  this Node process (workers)', `${per(cpu.baseline.selfMs)} / ${per(cpu.avlasta.selfMs)} ms`);
  line(
    `  Temporal server (${meter.found.temporal} process)`,
    `${per(cpu.baseline.temporalMs)} / ${per(cpu.avlasta.temporalMs)} ms`,
  );
  line(`  Redis (${meter.found.redis} process)`, `${per(cpu.baseline.redisMs)} / ${per(cpu.avlasta.redisMs)} ms`);
  if (metricsUrl) {
    // Visibility writes of a phase's last items may land in the next phase: small next to the totals.
    line(
      'dev server store time per item (one SQLite connection)',
      `${per(store.baseline.ms)} / ${per(store.avlasta.ms)} ms`,
    );
    line('  store calls per item', `${per(store.baseline.calls)} / ${per(store.avlasta.calls)}`);
  } else line('dev server store time', 'not measured (no metrics endpoint found)');

  // (c) raw BullMQ on the same Redis.
  const jobs = args['bullmq-jobs'];
  const prefix = `bench-raw-${randomUUID().slice(0, 8)}`;
  const queue = new Queue('raw', { connection: { url: engine.config.redisUrl }, prefix });
  let completed = 0;
  let allDone!: () => void;
  const finished = new Promise<void>((r) => (allDone = r));
  const t0 = performance.now();
  const qw = new QueueWorker('raw', async () => (++completed === jobs ? allDone() : undefined), {
    connection: { url: engine.config.redisUrl, maxRetriesPerRequest: null },
    prefix,
    concurrency: args.concurrency,
    removeOnComplete: { count: 0 },
  });
  for (let i = 0; i < jobs; i += 500)
    await queue.addBulk(
      Array.from({ length: Math.min(500, jobs - i) }, (_, k) => ({ name: 'noop', data: { n: i + k } })),
    );
  await finished;
  const bullRate = jobs / ((performance.now() - t0) / 1000);
  await qw.close();
  await queue.obliterate({ force: true });
  await queue.close();
  line('raw BullMQ add + process (reference)', `${fmt(bullRate, 0)} jobs/s`);

  summary = `SUMMARY overhead${args.workflows ? ` [workflows: ${workflowVariants[args.workflows]}]` : ''}: added per no-op bot step p50 ${fmt(p50Added)} ms / p95 ${fmt(p95Added)} ms (target p50 ≤ 10 ms); 3-step items${args['item-workflows'] ? '' : ' in the run (itemWorkflows: false)'} ${fmt(mean(avlastaRates))} vs hand-written Temporal ${fmt(mean(baseRates))} items/s = ratio ${fmt(ratio, 2)} (target ≥ 0.80); raw BullMQ ${fmt(bullRate, 0)} jobs/s`;
} finally {
  baselineWorker.shutdown();
  await baselineRunning;
  await connection.close();
  await engine.stop();
}
console.log(summary);
