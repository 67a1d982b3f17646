/**
 * CPU the workflow code itself costs per item. Runs N no-op items of an automation through the
 * engine, fetches the item workflows' histories, and replays them R times in a replay worker with
 * this tree's workflow bundle, measuring this process's CPU (all threads) per item. A replay runs
 * exactly the workflow code of a live run, with no server, queue or bot, so the figure isolates
 * what the sandbox costs (activations, promises: the SDK records a stack trace for every promise
 * a workflow creates, temporalio/sdk-typescript#1587). It is far steadier than the throughput
 * benchmarks on a shared 2-core machine. Every replay must also succeed: a replay failure here is
 * a determinism break against histories this tree recorded.
 *
 *   npx tsx bench/workflow-cost.ts [--items 300] [--replays 3] [--automation 0|1]   (0 bench-noop3, 1 bench-noop1)
 */
import { Worker } from '@temporalio/worker';
import { bundleWorkflows } from '../engine/temporal-worker.js';
import { itemWorkflowId } from '../temporal/names.js';
import { dataConverterFor } from '../temporal/connect.js';
import { numericArgs } from './lib/args.js';
import { startBenchEngine } from './lib/engine.js';
import { fmt, line, mean } from './lib/stats.js';

const args = numericArgs({ items: 300, replays: 3, automation: 0 });
const automation = ['bench-noop3', 'bench-noop1'][args.automation];
if (!automation) throw new Error('bench: --automation is 0 (bench-noop3) or 1 (bench-noop1)');
const engine = await startBenchEngine({ systems: { bench: { baseUrl: 'http://127.0.0.1:9', concurrency: 20 } } });
let summary = '';
try {
  const rows = Array.from({ length: args.items }, (_, i) => ({ ref: `wc-${i + 1}`, n: i }));
  const run = await engine.run(automation, rows);
  if (run.summary.counts.done !== args.items) throw new Error(`run: ${JSON.stringify(run.summary.counts)}`);
  const histories = await Promise.all(
    rows.map(async (r) => {
      const workflowId = itemWorkflowId(run.workflowId, r.ref);
      return { workflowId, history: await engine.client.workflow.getHandle(workflowId).fetchHistory() };
    }),
  );
  const events = mean(histories.map((h) => h.history.events?.length ?? 0));
  const workflowBundle = await bundleWorkflows();
  const dataConverter = dataConverterFor(engine.config);
  const perItemMs: number[] = [];
  // Replay 0 warms the bundle and the JIT; the timed ones follow.
  for (let replay = 0; replay <= args.replays; replay++) {
    const before = process.cpuUsage();
    let failed = 0;
    for await (const result of Worker.runReplayHistories({ workflowBundle, dataConverter, replayName: `workflow-cost-${replay}` }, histories)) {
      if (result.error) {
        failed++;
        console.error(`replay of ${result.workflowId} failed: ${result.error.message}`);
      }
    }
    if (failed) throw new Error(`${failed} of ${histories.length} item histories did not replay`);
    const cpu = process.cpuUsage(before);
    if (replay === 0) continue;
    perItemMs.push((cpu.user + cpu.system) / 1000 / histories.length);
    line(`replay ${replay}: CPU per item`, `${fmt(perItemMs.at(-1)!, 2)} ms`);
  }
  line('history events per item', fmt(events, 1));
  summary = `SUMMARY workflow-cost: ${automation}, ${args.items} item histories × ${args.replays} replays: ${fmt(mean(perItemMs), 2)} ms CPU per item (min ${fmt(Math.min(...perItemMs), 2)}), ${fmt(events, 1)} events per item`;
} finally {
  await engine.stop();
}
console.log(summary);
