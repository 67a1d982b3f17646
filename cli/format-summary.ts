/** The run summary as people read it in a terminal. */
import type { FailedItems } from '../engine/run-items.js';
import type { RunItemView } from '../store/run-items.js';
import type { RunCounts, RunSummary } from '../workflows/types.js';

/** A run's summary, from the workflow (RunSummary) or from the API's run status. */
export type SummaryView = Pick<
  RunSummary,
  'automationId' | 'workflowId' | 'total' | 'staffMinutesFreed' | 'rejectedRows'
> & {
  status: string;
  counts: RunCounts;
  /** The first failed items with their reasons, where the caller could read them. */
  failed?: FailedItems;
};

export function formatSummary(s: SummaryView): string {
  const c = s.counts;
  const lines = [
    `${s.automationId} (${s.workflowId}): ${s.status}`,
    `  items: ${s.total} loaded, ${c.done} done, ${c.flagged} flagged (${c.approved} approved, ${c.rejected} rejected), ${c.failed} failed, ${c.skipped} skipped as already done, ${c.invalid} invalid rows${c.cancelled ? `, ${c.cancelled} cancelled (not started)` : ''}`,
    `  staff time freed: ${s.staffMinutesFreed} min (${(s.staffMinutesFreed / 60).toFixed(1)} h)`,
  ];
  if (s.rejectedRows.length > 0) {
    lines.push(`  invalid rows (not processed):`);
    for (const r of s.rejectedRows.slice(0, 20))
      lines.push(`    row ${r.row}${r.key ? ` (${r.key})` : ''}: ${r.reason}`);
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
  return `${i.key}: ${where}${i.reason ?? '(no reason recorded)'}`;
}
