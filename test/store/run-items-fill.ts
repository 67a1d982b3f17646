/**
 * A run of many items in the audit log, as the run writes them: every tenth item failed after a
 * retried step (with a screenshot), the rest completed, and every hundredth key also ended in
 * another run, which no page of this run may show. The run-items test and
 * bench/run-items-paging.ts fill their stores with it.
 */
import type { AuditEntryInput } from '../../audit/types.js';
import type { Stores } from '../../store/types.js';

export const FILLED_RUN = 'run.test-console.big';
export const isFailedItem = (i: number) => i % 10 === 3;
/** Entries per audit append while filling. */
const BATCH = 5000;

export function runItemsEntries(items: number): AuditEntryInput[] {
  const out: AuditEntryInput[] = [];
  const base = { actor: { kind: 'system' as const, id: 'engine' }, automationId: 'test-console', runId: FILLED_RUN };
  for (let i = 0; i < items; i++) {
    const itemKey = `K-${i}`;
    if (isFailedItem(i)) {
      out.push({ ...base, event: 'step.retried', itemKey, stepId: 'work', details: { attempt: 2 } });
      out.push({
        ...base,
        event: 'step.failed',
        itemKey,
        stepId: 'work',
        details: { attempt: 3, error: 'HTTP 503' },
        artifacts: [`/data/artifacts/${FILLED_RUN}/${itemKey}/work-attempt3-failure.png`],
      });
      out.push({ ...base, event: 'item.failed', itemKey, details: { error: 'test.gate: HTTP 503' } });
    } else out.push({ ...base, event: 'item.completed', itemKey, details: {} });
    if (i % 100 === 0) out.push({ ...base, runId: 'run.other', event: 'item.failed', itemKey, details: {} });
  }
  return out;
}

/** Appends the run's entries to the audit log in batches. */
export async function fillRunItems(stores: Stores, items: number): Promise<void> {
  const all = runItemsEntries(items);
  for (let i = 0; i < all.length; i += BATCH) await stores.audit.append(all.slice(i, i + BATCH));
}
