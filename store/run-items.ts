/**
 * A run's items as the audit log records them: one `item.*` entry per item that ended (written by
 * the run's finishItems, once per item), with the reason of a failure, and the `step.failed` /
 * `step.retried` entries of its steps (which step failed, after how many attempts, its screenshot
 * and trace). The audit log is the one source of truth for the ops console, `avlasta run status`
 * and the run summaries. Pages are read by keyset (the entry's seq), so the 2,000th page of a
 * 100,000-item run costs what the first does.
 */
import type { ItemOutcome } from '../workflows/types.js';

export const itemEndEvents = {
  done: 'item.completed',
  rejected: 'item.rejected-by-approver',
  failed: 'item.failed',
} as const satisfies Record<ItemOutcome, string>;

export interface RunItemView {
  key: string;
  outcome: ItemOutcome;
  /** Why the item failed or was rejected (masked like every audit detail). */
  reason?: string;
  /** The step that failed, if a step did. */
  step?: string;
  /** Attempts of that step (1 when it never retried). */
  attempts: number;
  /** When the run recorded the item's end. */
  at: string;
  /** Screenshots and traces the failed step left, as stored paths under the artifacts folder. */
  artifacts: string[];
}

export interface RunItemsPage {
  items: RunItemView[];
  /** Pass as `after` for the next page; absent on the last. */
  next?: string;
}

export interface RunItemsQuery {
  outcome?: ItemOutcome;
  /** The `next` of the previous page. */
  after?: string;
  limit: number;
}

export interface RunItemsStore {
  page(runId: string, q: RunItemsQuery): Promise<RunItemsPage>;
  /** Run ids of the runs started to retry this run's failed items, oldest first. */
  retries(runId: string): Promise<string[]>;
  /** The run whose failed items this run retries, from its start request. */
  retryOf(runId: string): Promise<string | undefined>;
}

/** The rows both databases return. */
export interface ItemEndRow {
  seq: number | string;
  at: string;
  event: string;
  item_key: string;
  details: string;
}

export interface StepEventRow {
  item_key: string;
  step_id: string;
  details: string;
  artifacts: string;
}

export function eventsFor(outcome?: ItemOutcome): string[] {
  return outcome ? [itemEndEvents[outcome]] : Object.values(itemEndEvents);
}

/** The keyset cursor: the seq of the last item of the page. */
export function cursorOf(after?: string): number {
  const seq = after === undefined ? 0 : Number(after);
  return Number.isSafeInteger(seq) && seq >= 0 ? seq : 0;
}

/** Builds a page from the item-end rows (one more than the limit asked, to know a next exists) and their steps' rows. */
export function toPage(ends: ItemEndRow[], steps: StepEventRow[], limit: number): RunItemsPage {
  const shown = ends.slice(0, limit);
  const failures = new Map<string, { step: string; attempts: number; artifacts: string[] }>();
  for (const s of steps) {
    const d = JSON.parse(s.details) as { attempt?: number };
    const earlier = failures.get(s.item_key);
    const artifacts = JSON.parse(s.artifacts) as string[];
    failures.set(s.item_key, {
      step: s.step_id,
      attempts: Math.max(earlier?.attempts ?? 1, d.attempt ?? 1),
      artifacts: [...(earlier?.step === s.step_id ? earlier.artifacts : []), ...artifacts],
    });
  }
  const items = shown.map((row): RunItemView => {
    const outcome = (Object.keys(itemEndEvents) as ItemOutcome[]).find((o) => itemEndEvents[o] === row.event)!;
    const d = JSON.parse(row.details) as { error?: string };
    const failure = outcome === 'failed' ? failures.get(row.item_key) : undefined;
    return {
      key: row.item_key,
      outcome,
      ...(d.error ? { reason: d.error } : {}),
      ...(failure ? { step: failure.step } : {}),
      attempts: failure?.attempts ?? 1,
      at: row.at,
      artifacts: failure?.artifacts ?? [],
    };
  });
  return { items, ...(ends.length > limit ? { next: String(shown[shown.length - 1].seq) } : {}) };
}

export const stepEvents = ['step.failed', 'step.retried'];

/** The keys of the failed items among these ends: whose step entries the page needs. */
export function failedKeys(ends: ItemEndRow[]): string[] {
  return [...new Set(ends.filter((e) => e.event === itemEndEvents.failed).map((e) => e.item_key))];
}

/** The retry runs named by accepted `run.retry-requested` entries. */
export function retryRunIds(rows: { details: string }[]): string[] {
  return rows.map((r) => String((JSON.parse(r.details) as { retryRunId?: string }).retryRunId ?? '')).filter(Boolean);
}

/** The run a start request's details name as retried. */
export function retryOfDetails(row: { details: string } | undefined): string | undefined {
  const retryOf = row && (JSON.parse(row.details) as { retryOf?: unknown }).retryOf;
  return typeof retryOf === 'string' ? retryOf : undefined;
}
