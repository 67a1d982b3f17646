/** What the runs pages and the runs API share: the list's filters, and a run's failed items and retries. */
import { z } from 'zod';
import { failedItemsOf, MAX_ITEMS_PAGE } from '../engine/run-items.js';
import type { RunFilter, RunStatus } from '../engine/runs.js';
import type { RunItemView } from '../store/run-items.js';
import type { Stores } from '../store/types.js';

export const runStatusFilters = [
  'running',
  'paused',
  'cancelling',
  'done',
  'cancelled',
  'failed',
  'terminated',
] as const satisfies readonly RunStatus['status'][];

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD')
  .optional()
  .or(z.literal('').transform(() => undefined));

/** Query fields of a run list (besides the automation): department, status, started from/to (days, UTC). */
export const runFilterFields = {
  department: z
    .string()
    .max(100)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  status: z
    .enum(runStatusFilters)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  from: day,
  to: day,
};

export function runFilterOf(q: {
  department?: string;
  status?: RunStatus['status'];
  from?: string;
  to?: string;
}): RunFilter {
  return {
    department: q.department,
    status: q.status,
    startedFrom: q.from ? `${q.from}T00:00:00.000Z` : undefined,
    // The whole of the last day counts.
    startedBefore: q.to ? new Date(Date.parse(`${q.to}T00:00:00.000Z`) + 86_400_000).toISOString() : undefined,
  };
}

export interface RunLinks {
  /** The first failed items with their reasons; `failedMore` says others follow (the items list has them all). */
  failedItems: RunItemView[];
  failedMore: boolean;
  /** Runs started to retry this run's failed items. */
  retries: string[];
  /** The run whose failed items this run retries. */
  retryOf?: string;
}

export async function runLinks(stores: Stores, runId: string): Promise<RunLinks> {
  const [failed, retries, retryOf] = await Promise.all([
    failedItemsOf(stores, runId),
    stores.runItems.retries(runId),
    stores.runItems.retryOf(runId),
  ]);
  return { failedItems: failed.items, failedMore: failed.more, retries, ...(retryOf ? { retryOf } : {}) };
}

/** Query of a run's items page: outcome, the keyset cursor, the page size. */
export const itemsQuery = z.object({
  outcome: z
    .enum(['done', 'rejected', 'failed'])
    .optional()
    .or(z.literal('').transform(() => undefined)),
  after: z
    .string()
    .regex(/^\d{1,15}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(MAX_ITEMS_PAGE).default(50),
  lang: z.string().optional(),
});
