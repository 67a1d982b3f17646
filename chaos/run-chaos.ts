/**
 * One chaos run: a fresh environment (chaos/environment.ts), a real run of a browser task with a
 * create step against the flaky target, the seeded fault schedule injected while it runs, then a
 * bounded wait for the run to finish and the checks (chaos/check.ts). Used by `npm run chaos`
 * (chaos/main.ts) and by the CI-size test (test/chaos/chaos.test.ts).
 */
import { fileURLToPath } from 'node:url';
import { loadBots } from '../bot-runtime/load-bots.js';
import { getRunStatus, startRun } from '../engine/runs.js';
import type { RunSummary } from '../workflows/types.js';
import { checkRun, describeProblem, timelineLine, type CheckReport } from './check.js';
import { startChaosEnvironment } from './environment.js';
import {
  faultKinds,
  injectFault,
  planDurationMs,
  planFaults,
  type FaultEvent,
  type FaultKind,
  type FaultTiming,
} from './faults.js';
import { chaosItems } from './items.js';
import { waitUntil } from './services.js';

export interface ChaosOptions {
  /** Rows in the input file. */
  items: number;
  seed: number;
  /** Injections of each fault kind. */
  perKind: number;
  kinds?: readonly FaultKind[];
  timing: FaultTiming;
  /** Working directory (logs, databases); emptied first. */
  dir: string;
  postgresUrl: string;
  database: string;
  /** How long the run may take to finish after the last fault. */
  finishTimeoutMs: number;
  log: (line: string) => void;
  /** Stops the run early (Ctrl-C): the environment is still taken down. */
  signal?: AbortSignal;
}

export interface ChaosResult {
  ok: boolean;
  summaryLine: string;
  faults: FaultEvent[];
  report: CheckReport;
  durationMs: number;
  /** Zero when the run's started time is the origin of the timeline. */
  startedAt: number;
}

const automationsDir = fileURLToPath(new URL('./automations/', import.meta.url));

export async function runChaos(opts: ChaosOptions): Promise<ChaosResult> {
  const { log, timing } = opts;
  const signal = opts.signal ?? new AbortController().signal;
  const sleep = (ms: number) =>
    new Promise<void>((resolve, reject) => {
      signal.throwIfAborted();
      const onAbort = () => (clearTimeout(timer), reject(signal.reason));
      const timer = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  const t0 = Date.now();
  const kinds = opts.kinds ?? faultKinds;
  const plan = planFaults(opts.seed, opts.perKind, kinds, timing);
  const planMs = planDurationMs(plan, timing);
  // Paced so the run outlasts the faults: every fault hits items in flight.
  const jobsPerSecond = Math.min(4, Math.max(0.05, opts.items / ((planMs * 1.3) / 1000)));
  log(
    `chaos: ${opts.items} items, seed ${opts.seed}, ${plan.length} faults planned over ~${Math.round(planMs / 1000)} s, ${jobsPerSecond.toFixed(2)} jobs/s`,
  );
  const items = chaosItems(opts.items, opts.seed);
  const env = await startChaosEnvironment({
    dir: opts.dir,
    seed: opts.seed,
    jobsPerSecond,
    postgresUrl: opts.postgresUrl,
    database: opts.database,
    log: (line) => log(`  ${line}`),
  });
  const faults: FaultEvent[] = [];
  let summary: RunSummary | undefined;
  let runId = '';
  try {
    env.startWorkers();
    const registry = await loadBots(env.config);
    ({ workflowId: runId } = await startRun(
      { client: env.client, config: env.config, registry, automationsDir },
      {
        automationId: 'chaos-invoices',
        initiator: 'chaos-suite',
        runKey: `seed-${opts.seed}-${opts.items}`,
        input: { fileName: `chaos-${opts.seed}.csv`, data: Buffer.from(items.csv) },
      },
    ));
    log(`run ${runId} started; waiting for its first registration`);
    await waitUntil(
      'the first registration in the target',
      300_000,
      () => signal.throwIfAborted() ?? env.target.rowsByInvoice().size > 0,
    );
    const runStarted = Date.now();
    for (const planned of plan) {
      await sleep(planned.gapMs);
      if ((await getRunStatus(env.client, runId).catch(() => undefined))?.status === 'done') {
        log(`the run finished before every fault was injected (${faults.length} of ${plan.length})`);
        break;
      }
      const event = await injectFault(planned, env, timing);
      faults.push(event);
      log(`  ${timelineLine(event, runStarted)}`);
    }
    log('faults done; waiting for the run to finish');
    const deadline = Date.now() + opts.finishTimeoutMs;
    let lastProgress = 0;
    for (;;) {
      const status = await getRunStatus(env.client, runId).catch(() => undefined);
      if (status?.status === 'done') {
        summary = status.summary;
        break;
      }
      if (status && status.status !== 'running') throw new Error(`the run ended as ${status.status}`);
      if (Date.now() > deadline) {
        log(`the run did not finish within ${Math.round(opts.finishTimeoutMs / 1000)} s of the last fault`);
        break;
      }
      if (Date.now() - lastProgress > 30_000 && status?.summary) {
        lastProgress = Date.now();
        log(`  run: ${status.summary.processed} of ${status.summary.total} items ended`);
      }
      await sleep(2_000);
    }
    const report = await checkRun({
      stores: env.stores,
      automationId: 'chaos-invoices',
      runId,
      items,
      summary,
      rowsByInvoice: env.target.rowsByInvoice(),
    });
    const byKind = kinds.map((k) => `${k} ${faults.filter((f) => f.kind === k).length}`).join(', ');
    const short = kinds.filter((k) => faults.filter((f) => f.kind === k).length < opts.perKind);
    const ok = report.problems.length === 0 && short.length === 0;
    log(`faults injected: ${byKind}`);
    log(
      `items: ${report.items} valid, ${report.done} done, ${report.failed} failed with a reason (the target refused them), ${items.invalidRows} rows rejected at load`,
    );
    if (short.length) log(`FAIL faults short of ${opts.perKind} each: ${short.join(', ')}`);
    for (const p of report.problems) for (const line of describeProblem(p, report, faults, runStarted)) log(line);
    const summaryLine = `SUMMARY chaos: ${opts.items} items, ${faults.length} faults (${byKind}), lost ${report.lost}, duplicated ${report.duplicated}, stuck ${report.stuck}, audit ${report.auditIntact ? 'intact' : 'BROKEN'}`;
    log(summaryLine);
    log(`${ok ? 'PASS' : 'FAIL'} in ${Math.round((Date.now() - t0) / 1000)} s (logs: ${opts.dir}/logs)`);
    return { ok, summaryLine, faults, report, durationMs: Date.now() - t0, startedAt: runStarted };
  } finally {
    await env.close();
  }
}
