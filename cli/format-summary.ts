/** The run summary as people read it in a terminal (the CLI, the demo). */
import { maskString } from '../audit/mask.js';
import type { FailedItems } from '../engine/run-items.js';
import type { RunItemView } from '../store/run-items.js';
import type { RunCounts, RunSummary } from '../workflows/types.js';

/** A run's summary, from the workflow (RunSummary) or from the API's run status. */
export type SummaryView = Pick<
  RunSummary,
  'automationId' | 'workflowId' | 'total' | 'staffMinutesFreed' | 'rejectedRows' | 'trial'
> & {
  status: string;
  counts: RunCounts;
  /** The first failed items with their reasons, where the caller could read them. */
  failed?: FailedItems;
};

export function formatSummary(s: SummaryView): string {
  const c = s.counts;
  const rows = c.loaded + c.skipped + c.invalid + (c.unsampled ?? 0);
  const notRun = [
    `${c.skipped} already done in an earlier run (skipped)`,
    `${c.invalid} invalid (not run)`,
    ...(c.unsampled ? [`${c.unsampled} beyond the sample (not run)`] : []),
  ];
  const lines = [
    `${s.automationId} (${s.workflowId}): ${s.status}${s.trial ? '  [TRIAL: nothing was committed, no ledger rows]' : ''}`,
    ...nothingRunWarning(s),
    `  rows in the file: ${rows}: ${c.loaded} to run, ${notRun.join(', ')}`,
    `  of the ${c.loaded} run: ${c.done} done, ${c.failed} failed, ${c.flagged} flagged for a person (${c.approved} approved, ${c.rejected} rejected)${c.cancelled ? `, ${c.cancelled} cancelled (not started)` : ''}`,
    `  staff time freed: ${s.staffMinutesFreed} min (${(s.staffMinutesFreed / 60).toFixed(1)} h)`,
  ];
  if (s.rejectedRows.length > 0) {
    lines.push(`  invalid rows (not run):`);
    for (const r of s.rejectedRows.slice(0, 20))
      lines.push(`    row ${r.row}${r.key ? ` (${maskString(r.key)})` : ''}: ${r.reason}`);
    if (c.invalid > 20) lines.push(`    … ${c.invalid - 20} more in the audit log (event item.rejected)`);
  }
  if (s.failed?.items.length) {
    lines.push(`  failed items:`);
    for (const i of s.failed.items) lines.push(`    ${formatFailedItem(i)}`);
    if (s.failed.more)
      lines.push(`    … ${c.failed - s.failed.items.length} more: avlasta run items ${s.workflowId} --outcome failed`);
  }
  return lines.join('\n');
}

/** "INV-5: step register, 4 attempts: Fakturanumret finns redan". */
export function formatFailedItem(i: Pick<RunItemView, 'key' | 'step' | 'attempts' | 'reason'>): string {
  const where = i.step ? `step ${i.step}, ${i.attempts} attempt${i.attempts === 1 ? '' : 's'}: ` : '';
  return `${maskString(i.key)}: ${where}${i.reason ?? '(no reason recorded)'}`;
}

/**
 * A finished run that ran nothing says so loudly: "success" over a file whose every item was
 * skipped hides that the target system may never have seen them (it was reset since, say).
 */
export function nothingRunWarning(s: Pick<SummaryView, 'automationId' | 'status' | 'counts'>): string[] {
  const c = s.counts;
  if (s.status !== 'done' || c.loaded > 0) return [];
  const bar = '  !!!';
  if (c.skipped > 0)
    return [
      `${bar} NOTHING WAS RUN: all ${c.skipped} valid items were skipped, because earlier runs of ${s.automationId} completed them.`,
      `${bar} If the target system was reset since, run the file again with --rerun-completed,`,
      `${bar} or forget them first: avlasta ledger forget ${s.automationId} --all   (or name the keys)`,
    ];
  return [`${bar} NOTHING WAS RUN: the file has no valid item${c.invalid > 0 ? ` (${c.invalid} invalid rows)` : ''}.`];
}
