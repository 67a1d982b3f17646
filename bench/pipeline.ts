/**
 * Benchmark 1: N browser items through the whole pipeline (run workflow, item workflows, BullMQ,
 * bot worker with a context per job, audit log) against a plain playwright-core loop doing the
 * same pages with the same concurrency. Rounds alternate baseline and pipeline.
 *
 *   npx tsx bench/pipeline.ts [--items 1000] [--slots 4] [--rounds 2] [--separate 0|1]
 *     [--screenshots 0|1|2] [--trace 0|1|2] [--workflows 0|1] [--item-workflows 1|0]
 *   screenshots (evidence of successful jobs): 0 before approvals only = the product default (the
 *   bench automation has none, so none are taken), 1 always, 2 never; trace: 0 always, 1 retries
 *   only = the product default, 2 off; item-workflows: 1 each item its own workflow (the product
 *   default, bench-form), 0 the items' steps as activities of the run (bench-form-in-run)
 */
import { jobExtrasFromArgs, numericArgs } from './lib/args.js';
import { createCpuMeter, type CpuSnapshot } from './lib/cpu-meter.js';
import { startBenchEngine, workflowVariants } from './lib/engine.js';
import { formRows, launchBaselineBrowser, plainPlaywrightLoop } from './lib/plain-playwright.js';
import { fmt, line, mean } from './lib/stats.js';
import { startFormApp } from '../test/fixtures/form-app.js';

const args = numericArgs({
  items: 1000,
  slots: 4,
  rounds: 2,
  separate: 0,
  screenshots: 0,
  trace: 1,
  workflows: 0,
  'item-workflows': 1,
});
const automation = args['item-workflows'] ? 'bench-form' : 'bench-form-in-run';
const jobExtras = jobExtrasFromArgs(args);
const app = await startFormApp();
const engine = await startBenchEngine({
  systems: { bench: { baseUrl: app.baseUrl, concurrency: args.slots } },
  configExtra: jobExtras,
  botWorker: args.separate ? 'process' : 'in-process',
  workflows: workflowVariants[args.workflows],
});
const browser = await launchBaselineBrowser();
const meter = createCpuMeter();
const zero = (): CpuSnapshot & { restMs: number } => ({
  machineMs: 0,
  selfMs: 0,
  temporalMs: 0,
  redisMs: 0,
  restMs: 0,
});
const cpu = { baseline: zero(), pipeline: zero() };
/** Runs a phase and adds the CPU each part spent during it to `into`. */
async function metered<T>(into: CpuSnapshot & { restMs: number }, phase: () => Promise<T>): Promise<T> {
  const before = meter.snapshot();
  const result = await phase();
  const d = meter.between(before, meter.snapshot());
  for (const k of Object.keys(into) as (keyof typeof into)[]) into[k] += d[k];
  return result;
}
const pipelineRates: number[] = [];
const baselineRates: number[] = [];
try {
  // Warm both sides (browser launched, workflow bundle loaded, JIT) outside the timed rounds.
  await engine.run(automation, formRows('warm-p', 20));
  await plainPlaywrightLoop(browser, app.baseUrl, formRows('warm-b', 20), args.slots);

  for (let round = 1; round <= args.rounds; round++) {
    const baseMs = await metered(cpu.baseline, () =>
      plainPlaywrightLoop(browser, app.baseUrl, formRows(`b${round}`, args.items), args.slots),
    );
    baselineRates.push(args.items / (baseMs / 1000));
    const { summary, ms } = await metered(cpu.pipeline, () =>
      engine.run(automation, formRows(`p${round}`, args.items)),
    );
    if (summary.counts.done !== args.items)
      throw new Error(`pipeline round ${round}: ${JSON.stringify(summary.counts)}`);
    pipelineRates.push(args.items / (ms / 1000));
    line(`round ${round}: plain Playwright`, `${fmt(baselineRates.at(-1)!)} items/s (${fmt(baseMs / 1000)} s)`);
    line(`round ${round}: Avlasta pipeline`, `${fmt(pipelineRates.at(-1)!)} items/s (${fmt(ms / 1000)} s)`);
  }
  const duplicated = [...app.savesByReference.values()].filter((n) => n !== 1).length;
  if (duplicated) throw new Error(`${duplicated} references were saved more than once`);
  const audit = await engine.stores.audit.verify();
  line('form saves (each reference exactly once)', `${app.savesByReference.size}`);
  line('audit chain', audit.ok ? 'intact' : `BROKEN ${JSON.stringify(audit)}`);
  // CPU per item by part (machine = both cores; this process = the loop, or the Temporal worker + bot worker + Playwright client).
  const n = args.items * args.rounds;
  const per = (ms: number) => `${fmt(ms / n, 0)} ms`;
  line('CPU per item: machine (plain / Avlasta)', `${per(cpu.baseline.machineMs)} / ${per(cpu.pipeline.machineMs)}`);
  line('  this Node process (loop / workers)', `${per(cpu.baseline.selfMs)} / ${per(cpu.pipeline.selfMs)}`);
  line(
    `  Temporal server (${meter.found.temporal} process)`,
    `${per(cpu.baseline.temporalMs)} / ${per(cpu.pipeline.temporalMs)}`,
  );
  line(`  Redis (${meter.found.redis} process)`, `${per(cpu.baseline.redisMs)} / ${per(cpu.pipeline.redisMs)}`);
  line('  the rest: Chromium (and anything else)', `${per(cpu.baseline.restMs)} / ${per(cpu.pipeline.restMs)}`);
} finally {
  await browser.close();
  await engine.stop();
  await app.close();
}
const avlasta = mean(pipelineRates);
const plain = mean(baselineRates);
console.log(
  `SUMMARY pipeline${args.workflows ? ` [workflows: ${workflowVariants[args.workflows]}]` : ''}: ${args.items} items × ${args.rounds} rounds, ${args.slots} slots, ${args['item-workflows'] ? 'item workflows' : 'items in the run (itemWorkflows: false)'}, tracing ${jobExtras.botTracing}, evidence screenshots ${jobExtras.evidenceScreenshots}: Avlasta ${fmt(avlasta)} items/s vs plain Playwright ${fmt(plain)} items/s = ratio ${fmt(avlasta / plain, 2)} (target ≥ 0.90)`,
);
