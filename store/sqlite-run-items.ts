/** RunItemsStore on SQLite: keyset pages of a run's item ends from the audit log. */
import type { Database } from 'better-sqlite3';
import type { ItemOutcome } from '../workflows/types.js';
import {
  cursorOf,
  eventsFor,
  failedKeys,
  retryOfDetails,
  retryRunIds,
  stepEvents,
  toPage,
  type ItemEndRow,
  type RunItemsPage,
  type RunItemsQuery,
  type RunItemsStore,
  type StepEventRow,
} from './run-items.js';

/** Runs after the audit DDL: a page of one outcome reads only that outcome's entries. */
export const sqliteRunItemsDdl = `
CREATE INDEX IF NOT EXISTS audit_log_run_event ON audit_log (run_id, event, seq);
`;

export class SqliteRunItems implements RunItemsStore {
  constructor(private readonly db: Database) {}

  async page(runId: string, q: RunItemsQuery): Promise<RunItemsPage> {
    const events = eventsFor(q.outcome as ItemOutcome | undefined);
    const ends = this.db
      .prepare(
        `SELECT seq, at, event, item_key, details FROM audit_log
         WHERE run_id = ? AND event IN (${events.map(() => '?').join(', ')}) AND seq > ?
         ORDER BY seq LIMIT ?`,
      )
      .all(runId, ...events, cursorOf(q.after), q.limit + 1) as ItemEndRow[];
    const failed = failedKeys(ends);
    const steps = failed.length
      ? (this.db
          .prepare(
            `SELECT item_key, step_id, details, artifacts FROM audit_log
             WHERE run_id = ? AND event IN (${stepEvents.map(() => '?').join(', ')})
               AND item_key IN (${failed.map(() => '?').join(', ')})
             ORDER BY seq`,
          )
          .all(runId, ...stepEvents, ...failed) as StepEventRow[])
      : [];
    return toPage(ends, steps, q.limit);
  }

  async retryOf(runId: string): Promise<string | undefined> {
    const row = this.db
      .prepare(`SELECT details FROM audit_log WHERE run_id = ? AND event = 'api.run-requested' ORDER BY seq LIMIT 1`)
      .get(runId) as { details: string } | undefined;
    return retryOfDetails(row);
  }

  async retries(runId: string): Promise<string[]> {
    const rows = this.db
      .prepare(`SELECT details FROM audit_log WHERE run_id = ? AND event = 'run.retry-requested' ORDER BY seq`)
      .all(runId) as { details: string }[];
    return retryRunIds(rows);
  }
}
