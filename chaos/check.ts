/**
 * What a chaos run must show when it is over, read from the target system's own database and
 * from Avlasta's stores (audit log, run summary), never from the suite's own bookkeeping:
 * every valid item registered exactly once, every item in a terminal state, the audit chain
 * intact with each item's end on record once, the item ledger in agreement, and the run's counts
 * equal to the target's rows.
 */
import { queryAll } from '../audit/query-all.js';
import type { AuditEntry } from '../audit/types.js';
import type { Stores } from '../store/types.js';
import type { RunSummary } from '../workflows/types.js';
import type { FaultEvent } from './faults.js';
import type { ChaosItems } from './items.js';

export interface Problem {
  /** lost, duplicated, stuck, unregistered, refused-registered, no-reason, audit, counts */
  kind: string;
  keys: string[];
  detail: string;
}

export interface CheckReport {
  items: number;
  done: number;
  failed: number;
  lost: number;
  duplicated: number;
  stuck: number;
  auditIntact: boolean;
  problems: Problem[];
  /** When each item's bot steps started, for the timeline of a problem. */
  stepStarts: Map<string, number[]>;
}

const endEvents = new Set(['item.completed', 'item.failed', 'item.rejected-by-approver']);

export async function checkRun(input: {
  stores: Stores;
  automationId: string;
  runId: string;
  items: ChaosItems;
  /** The run's summary; undefined when it did not finish within its bound. */
  summary: RunSummary | undefined;
  rowsByInvoice: Map<string, number>;
}): Promise<CheckReport> {
  const { items, rowsByInvoice, summary } = input;
  const problems: Problem[] = [];
  const add = (kind: string, keys: string[], detail: string) => {
    if (keys.length > 0) problems.push({ kind, keys, detail });
  };
  const ends = new Map<string, AuditEntry[]>();
  const loaded = new Set<string>();
  let rejectedRows = 0;
  const stepStarts = new Map<string, number[]>();
  for await (const e of queryAll(input.stores.audit, { runId: input.runId })) {
    if (e.event === 'item.loaded') loaded.add(e.itemKey);
    else if (e.event === 'item.rejected') rejectedRows++;
    else if (endEvents.has(e.event)) ends.set(e.itemKey, [...(ends.get(e.itemKey) ?? []), e]);
    else if (e.event === 'step.started')
      stepStarts.set(e.itemKey, [...(stepStarts.get(e.itemKey) ?? []), Date.parse(e.at)]);
  }
  const expected = [...items.valid, ...items.refused];
  const unended = expected.filter((k) => !ends.has(k));
  // Not ended: stuck while the run still runs, lost once it reports done.
  const stuck = summary ? [] : unended;
  const lost = summary ? unended : [];
  add('lost', lost, 'the run finished without recording an end for these items');
  add('stuck', stuck, 'the run did not finish in time and these items have no end');
  add(
    'not-loaded',
    expected.filter((k) => !loaded.has(k)),
    'valid rows the run did not load',
  );
  add(
    'audit',
    [...ends].filter(([, es]) => es.length > 1).map(([k]) => k),
    "an item's end is on record more than once",
  );
  if (rejectedRows !== items.invalidRows)
    add('audit', ['(rows)'], `${rejectedRows} rows rejected at load, the input has ${items.invalidRows} invalid rows`);

  const outcome = (k: string) => ends.get(k)?.[0]?.event;
  const duplicated = [...rowsByInvoice].filter(([, n]) => n > 1).map(([k]) => k);
  add('duplicated', duplicated, 'the target holds more than one registration for these keys');
  add(
    'unregistered',
    items.valid.filter((k) => outcome(k) === 'item.completed' && (rowsByInvoice.get(k) ?? 0) === 0),
    'completed in Avlasta but absent from the target',
  );
  const failedValid = items.valid.filter((k) => outcome(k) === 'item.failed');
  add('failed', failedValid, 'valid items that failed instead of being registered');
  add(
    'refused-registered',
    items.refused.filter((k) => (rowsByInvoice.get(k) ?? 0) > 0),
    'the target registered items of an unknown supplier',
  );
  add(
    'refused-not-failed',
    items.refused.filter((k) => ends.has(k) && outcome(k) !== 'item.failed'),
    'items of an unknown supplier that did not fail',
  );
  add(
    'no-reason',
    expected.filter((k) => outcome(k) === 'item.failed' && !ends.get(k)?.[0]?.details.error),
    'failed without a reason',
  );
  const known = new Set(expected);
  add(
    'unexpected-rows',
    [...rowsByInvoice.keys()].filter((k) => !known.has(k)),
    'the target holds registrations of keys the run never had',
  );

  // The ledger (what later runs skip) holds exactly the items that completed.
  const inLedger = await input.stores.ledger.doneKeys(input.automationId, expected);
  add(
    'ledger',
    expected.filter((k) => inLedger.has(k) !== (outcome(k) === 'item.completed')),
    'the item ledger disagrees with the audit log about these items',
  );

  const verified = await input.stores.audit.verify();
  if (!verified.ok) add('audit', [`seq ${verified.firstBadSeq}`], `audit chain broken: ${verified.problem}`);
  const targetRows = [...rowsByInvoice.values()].reduce((a, b) => a + b, 0);
  if (summary && summary.counts.done !== targetRows)
    add('counts', ['(run)'], `the run counts ${summary.counts.done} done, the target holds ${targetRows} rows`);

  const done = expected.filter((k) => outcome(k) === 'item.completed').length;
  return {
    items: expected.length,
    done,
    failed: expected.filter((k) => outcome(k) === 'item.failed').length,
    lost: lost.length,
    duplicated: duplicated.length,
    stuck: stuck.length,
    auditIntact: verified.ok && !problems.some((p) => p.kind === 'audit'),
    problems,
    stepStarts,
  };
}

/** The problem's keys, each with the faults within `aroundMs` of its step's starts. */
export function describeProblem(p: Problem, report: CheckReport, faults: FaultEvent[], t0: number, aroundMs = 60_000) {
  const lines = [`FAIL ${p.kind}: ${p.detail} (${p.keys.length})`];
  for (const key of p.keys.slice(0, 20)) {
    const starts = report.stepStarts.get(key) ?? [];
    lines.push(`  ${key}: step started at ${starts.map((s) => `+${((s - t0) / 1000).toFixed(1)}s`).join(', ') || '—'}`);
    for (const f of faults) {
      if (starts.some((s) => s >= f.startedAt - aroundMs && s <= f.endedAt + aroundMs))
        lines.push(`    ${timelineLine(f, t0)}`);
    }
  }
  if (p.keys.length > 20) lines.push(`  … and ${p.keys.length - 20} more`);
  return lines;
}

export function timelineLine(f: FaultEvent, t0: number): string {
  const at = (ms: number) => `+${((ms - t0) / 1000).toFixed(1)}s`;
  return `${at(f.startedAt)}..${at(f.endedAt)} ${f.kind}: ${f.note}`;
}
