/**
 * A run's items with their outcomes, reasons, failed step and attempts: the one reading every door
 * shows (`avlasta run status`, the run summaries, the ops console, the API). Its source of truth is
 * the audit log's item and step entries (store/run-items.ts), paged by keyset.
 */
import type { RunItemsPage, RunItemView } from '../store/run-items.js';
import type { Stores } from '../store/types.js';
import type { ItemOutcome } from '../workflows/types.js';

export const MAX_ITEMS_PAGE = 500;

export function listRunItems(
  stores: Pick<Stores, 'runItems'>,
  runId: string,
  q: { outcome?: ItemOutcome; after?: string; limit?: number } = {},
): Promise<RunItemsPage> {
  const limit = Math.min(MAX_ITEMS_PAGE, Math.max(1, q.limit ?? 50));
  return stores.runItems.page(runId, { outcome: q.outcome, after: q.after, limit });
}

/** The first failed items of a run, for summaries; `more` says others follow. */
export interface FailedItems {
  items: RunItemView[];
  more: boolean;
}

export async function failedItemsOf(stores: Pick<Stores, 'runItems'>, runId: string, limit = 20): Promise<FailedItems> {
  const page = await listRunItems(stores, runId, { outcome: 'failed', limit });
  return { items: page.items, more: page.next !== undefined };
}
