/**
 * Benchmark 5: one run of many no-op items (one browserless bot step each). Checks it completes
 * without a history-limit failure (continue-as-new every 500 items), samples this process's RSS
 * (the Temporal worker; the bot worker is a separate process), and counts what one item costs the
 * Temporal server: history events of a sample item, the run's share, and the dev server's
 * persistence and frontend requests per item.
 *
 *   npx tsx bench/scale.ts [--items 100000] [--slots 50] [--workflows 0|1]
 *
 * With NODE_OPTIONS=--expose-gc it also forces a full GC every 10 s and records the live heap
 * after it: RSS and heapUsed include garbage V8 has not collected yet, the live heap does not.
 */
import { itemWorkflowId } from '../temporal/names.js';
import { numericArgs } from './lib/args.js';
import { startBenchEngine, workflowVariants } from './lib/engine.js';
import { countEventTypes, historyEvents } from './lib/history.js';
import { counterTotals, findMetricsUrl } from './lib/server-metrics.js';
import { fmt, line, mean } from './lib/stats.js';

const args = numericArgs({ items: 100_000, slots: 50, workflows: 0 });
const engine = await startBenchEngine({
  systems: { bench: { baseUrl: 'http://127.0.0.1:9', concurrency: args.slots } },
  botWorker: 'process',
  workflows: workflowVariants[args.workflows],
});
const metricsUrl = await findMetricsUrl();
const heartbeats = 'service_requests|operation="RecordActivityTaskHeartbeat",service_name="frontend"';
const counters = [
  'persistence_requests',
  'service_requests',
  'workflow_task_attempt',
  'activity_task_attempt',
  heartbeats,
];
const rows = Array.from({ length: args.items }, (_, i) => ({ ref: `s-${i + 1}`, n: i }));
const rss: { at: number; processed: number; mb: number; heapMb: number }[] = [];
const live: { processed: number; mb: number }[] = [];
let summary = '';
try {
  const before = metricsUrl ? await counterTotals(metricsUrl, counters) : undefined;
  const t0 = performance.now();
  const workflowId = await engine.startRun('bench-noop1', rows);
  const handle = engine.client.workflow.getHandle(workflowId);
  let processed = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    rss.push({ at: (performance.now() - t0) / 1000, processed, mb: m.rss / 1e6, heapMb: m.heapUsed / 1e6 });
  }, 2000);
  const forceGc = (globalThis as { gc?: () => void }).gc;
  const liveHeap = setInterval(() => {
    if (!forceGc) return;
    forceGc();
    live.push({ processed, mb: process.memoryUsage().heapUsed / 1e6 });
  }, 10_000);
  const progress = setInterval(async () => {
    const p = await handle.query('runProgress').catch(() => undefined);
    if (p) processed = (p as { processed: number }).processed;
  }, 5000);
  let lastPrint = 0;
  const printer = setInterval(() => {
    if (processed - lastPrint >= args.items / 10) {
      lastPrint = processed;
      const s = rss.at(-1)!;
      line(
        `  ${processed} items after ${fmt(s.at, 0)} s`,
        `Temporal-worker process RSS ${fmt(s.mb)} MB, heap ${fmt(s.heapMb)} MB`,
      );
    }
  }, 2000);
  const result = (await handle.result()) as { counts: Record<string, number>; segments: number };
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  clearInterval(liveHeap);
  clearInterval(progress);
  clearInterval(printer);
  const after = metricsUrl ? await counterTotals(metricsUrl, counters) : undefined;
  if (result.counts.done !== args.items) throw new Error(`run: ${JSON.stringify(result.counts)}`);
  const rate = args.items / seconds;
  line('items, seconds, items/s', `${args.items}, ${fmt(seconds)}, ${fmt(rate, 2)}`);
  line('segments (continue-as-new)', `${result.segments}`);

  // Server work per item: a sample item's history + the run's executions shared over the items.
  const item = countEventTypes(
    await historyEvents(engine.client, itemWorkflowId(workflowId, `s-${Math.ceil(args.items / 2)}`)),
  );
  const itemEvents = Object.values(item).reduce((a, b) => a + b, 0);
  let runEvents = 0;
  let maxRunHistory = 0;
  for await (const execution of engine.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    const events =
      (await engine.client.workflow.getHandle(workflowId, execution.runId).fetchHistory()).events?.length ?? 0;
    runEvents += events;
    maxRunHistory = Math.max(maxRunHistory, events);
  }
  line('sample item history events', `${itemEvents} ${JSON.stringify(item)}`);
  line(
    'run history events (all segments) / per item',
    `${runEvents} / ${fmt(runEvents / args.items, 2)}; largest segment ${maxRunHistory} (limit 51,200)`,
  );
  const actions =
    (item.workflow_execution_started ?? 0) +
    (item.activity_task_scheduled ?? 0) +
    (item.upsert_workflow_search_attributes ?? 0) +
    (item.marker_recorded ?? 0) +
    (item.timer_started ?? 0) +
    (item.signal_external_workflow_execution_initiated ?? 0);
  // Heartbeats count as actions too; a job picked up while fresh sends none (bot-runtime/job.ts).
  const heartbeatsPerItem = before && after ? (after[heartbeats] - before[heartbeats]) / args.items : NaN;
  line(
    'billable-style actions per item (Temporal Cloud rules)',
    `${actions} in the item + ${fmt(heartbeatsPerItem, 2)} heartbeats from the bot worker`,
  );
  if (before && after) {
    for (const c of counters)
      line(`dev server ${c.replace('|', ' ')} per item`, fmt((after[c] - before[c]) / args.items, 2));
  } else line('dev server metrics', 'not found (set TEMPORAL_METRICS_URL)');
  const settled = rss.filter((s) => s.at > 30);
  const first = settled.slice(0, Math.max(1, Math.floor(settled.length / 5)));
  const last = settled.slice(-Math.max(1, Math.floor(settled.length / 5)));
  const drift = settled.length > 1 ? (mean(last.map((s) => s.mb)) / mean(first.map((s) => s.mb)) - 1) * 100 : NaN;
  if (live.length >= 2) {
    const a = live.find((s) => s.processed >= args.items / 10) ?? live[0];
    const b = live.at(-1)!;
    const perThousand = b.processed > a.processed ? ((b.mb - a.mb) / (b.processed - a.processed)) * 1000 : NaN;
    line(
      'live heap after full GC: near 10 % / at the end',
      `${fmt(a.mb)} MB (item ${a.processed}) / ${fmt(b.mb)} MB (item ${b.processed}): ${fmt(perThousand, 2)} MB per 1,000 items`,
    );
  } else line('live heap after full GC', 'not measured (run with NODE_OPTIONS=--expose-gc)');
  line(
    'Temporal-worker RSS first fifth / last fifth / max',
    `${fmt(mean(first.map((s) => s.mb)))} / ${fmt(mean(last.map((s) => s.mb)))} / ${fmt(Math.max(...rss.map((s) => s.mb)))} MB`,
  );
  summary = `SUMMARY scale${args.workflows ? ` [workflows: ${workflowVariants[args.workflows]}]` : ''}: ${args.items} no-op items in one run: completed (${result.segments} segments, largest history ${maxRunHistory} events), ${fmt(rate, 1)} items/s, Temporal-worker RSS drift ${fmt(drift)} %, ${fmt(itemEvents + runEvents / args.items, 1)} history events and ${fmt(actions + (Number.isNaN(heartbeatsPerItem) ? 0 : heartbeatsPerItem), 1)} actions per item`;
} finally {
  await engine.stop();
}
console.log(summary);
