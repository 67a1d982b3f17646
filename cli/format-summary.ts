/** The run summary as people read it in a terminal. */
import type { RunCounts, RunSummary } from '../workflows/types.js';

/** A run's summary, from the workflow (RunSummary) or from the API's run status. */
export type SummaryView = Pick<
  RunSummary,
  'automationId' | 'workflowId' | 'total' | 'staffMinutesFreed' | 'rejectedRows'
> & {
  status: string;
  counts: RunCounts;
};

export function formatSummary(s: SummaryView): string {
  const c = s.counts;
  const lines = [
    `${s.automationId} (${s.workflowId}): ${s.status}`,
    `  items: ${s.total} loaded, ${c.done} done, ${c.flagged} flagged (${c.approved} approved, ${c.rejected} rejected), ${c.failed} failed, ${c.skipped} skipped as already done, ${c.invalid} invalid rows`,
    `  staff time freed: ${s.staffMinutesFreed} min (${(s.staffMinutesFreed / 60).toFixed(1)} h)`,
  ];
  if (s.rejectedRows.length > 0) {
    lines.push(`  invalid rows (not processed):`);
    for (const r of s.rejectedRows.slice(0, 20))
      lines.push(`    row ${r.row}${r.key ? ` (${r.key})` : ''}: ${r.reason}`);
    if (c.invalid > 20) lines.push(`    … ${c.invalid - 20} more in the audit log (event item.rejected)`);
  }
  return lines.join('\n');
}
