/**
 * CPU the workflow code itself costs per item, against the hand-written Temporal baseline. Runs N
 * no-op items of an automation through the engine and N items of the baseline
 * (fixtures/baseline-workflows.ts: a child with three plain activities, no codec) on the same
 * server, fetches the item workflows' histories, and replays each set R times in a replay worker
 * with its own bundle, measuring this process's CPU (all threads) per item, the two sets
 * alternating. A replay runs exactly the workflow code of a live run, with no server, queue or
 * bot, so the figure isolates what the sandbox costs (activations, promises: the SDK records a
 * stack trace for every promise a workflow creates, temporalio/sdk-typescript#1587) and the
 * payload codec. It is far steadier than the throughput benchmarks on a shared 2-core machine.
 * Every replay must also succeed: a replay failure here is a determinism break against
 * histories this tree recorded.
 *
 *   npx tsx bench/workflow-cost.ts [--items 300] [--replays 3] [--automation 0|1]   (0 bench-noop3, 1 bench-noop1)
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { bundleWorkflows } from '../temporal/worker.js';
import { itemWorkflowId } from '../temporal/names.js';
import { dataConverterFor } from '../temporal/connect.js';
import { numericArgs } from './lib/args.js';
import { startBenchEngine } from './lib/engine.js';
import { fmt, line, mean } from './lib/stats.js';

const args = numericArgs({ items: 300, replays: 3, automation: 0 });
const automation = ['bench-noop3', 'bench-noop1'][args.automation];
if (!automation) throw new Error('bench: --automation is 0 (bench-noop3) or 1 (bench-noop1)');
const baselinePath = fileURLToPath(new URL('./fixtures/baseline-workflows.ts', import.meta.url));
const engine = await startBenchEngine({ systems: { bench: { baseUrl: 'http://127.0.0.1:9', concurrency: 20 } } });
type Histories = {
  workflowId: string;
  history: Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>;
}[];

const fetchAll = (client: Client, ids: string[]): Promise<Histories> =>
  Promise.all(
    ids.map(async (workflowId) => ({
      workflowId,
      history: await client.workflow.getHandle(workflowId).fetchHistory(),
    })),
  );

/** The baseline's items on the same server, through a plain worker and client (no codec). */
async function baselineHistories(n: number): Promise<Histories> {
  const taskQueue = `bench-baseline-${randomUUID().slice(0, 8)}`;
  const connection = await NativeConnection.connect({ address: engine.config.temporal.address });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: baselinePath,
    activities: { noop: async (x: number) => x },
  });
  const client = new Client({ connection: engine.client.connection, namespace: engine.config.temporal.namespace });
  const workflowId = `${taskQueue}-run`;
  await worker
    .runUntil(client.workflow.execute('baselineRun', { taskQueue, workflowId, args: [{ items: n, concurrency: 20 }] }))
    .finally(() => connection.close());
  return fetchAll(
    client,
    Array.from({ length: n }, (_, i) => `${workflowId}.item.${i}`),
  );
}

/** CPU per item of one replay of every history. */
async function replayMs(options: ReplayWorkerOptions, histories: Histories): Promise<number> {
  const before = process.cpuUsage();
  let failed = 0;
  for await (const result of Worker.runReplayHistories(options, histories)) {
    if (result.error) {
      failed++;
      console.error(`replay of ${result.workflowId} failed: ${result.error.message}`);
    }
  }
  if (failed) throw new Error(`${failed} of ${histories.length} item histories did not replay`);
  const cpu = process.cpuUsage(before);
  return (cpu.user + cpu.system) / 1000 / histories.length;
}

let summary = '';
try {
  const rows = Array.from({ length: args.items }, (_, i) => ({ ref: `wc-${i + 1}`, n: i }));
  const run = await engine.run(automation, rows);
  if (run.summary.counts.done !== args.items) throw new Error(`run: ${JSON.stringify(run.summary.counts)}`);
  const avlasta = await fetchAll(
    engine.client,
    rows.map((r) => itemWorkflowId(run.workflowId, r.ref)),
  );
  const baseline = await baselineHistories(args.items);
  const events = (h: Histories) => mean(h.map((x) => x.history.events?.length ?? 0));
  const sides = [
    {
      name: 'Avlasta',
      histories: avlasta,
      options: { workflowBundle: await bundleWorkflows(), dataConverter: dataConverterFor(engine.config) },
      ms: [] as number[],
    },
    {
      name: 'hand-written',
      histories: baseline,
      options: { workflowBundle: await bundleWorkflowCode({ workflowsPath: baselinePath, logger: quietLogger() }) },
      ms: [] as number[],
    },
  ];
  // Replay 0 warms each bundle and the JIT; the timed ones follow, the sides alternating.
  for (let replay = 0; replay <= args.replays; replay++) {
    for (const side of sides) {
      const ms = await replayMs(
        { ...side.options, replayName: `workflow-cost-${side.name}-${replay}` },
        side.histories,
      );
      if (replay > 0) side.ms.push(ms);
    }
    if (replay > 0)
      line(
        `replay ${replay}: CPU per item (Avlasta / hand-written)`,
        `${fmt(sides[0].ms.at(-1)!, 2)} / ${fmt(sides[1].ms.at(-1)!, 2)} ms`,
      );
  }
  line('history events per item (Avlasta / hand-written)', `${fmt(events(avlasta), 1)} / ${fmt(events(baseline), 1)}`);
  const [a, b] = sides.map((s) => mean(s.ms));
  summary = `SUMMARY workflow-cost: ${automation}, ${args.items} item histories × ${args.replays} replays: ${fmt(a, 2)} ms CPU per item (min ${fmt(Math.min(...sides[0].ms), 2)}), ${fmt(events(avlasta), 1)} events per item; hand-written Temporal ${fmt(b, 2)} ms (${automation === 'bench-noop3' ? 'same 3 steps' : 'its 3 activities'}) = ${fmt(a / b, 2)}×`;
} finally {
  await engine.stop();
}
console.log(summary);

function quietLogger() {
  return { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };
}
