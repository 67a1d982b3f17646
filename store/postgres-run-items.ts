/** RunItemsStore on PostgreSQL: keyset pages of a run's item ends from the audit log. */
import type { Pool } from 'pg';
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
export function postgresRunItemsDdl(s: string): string {
  return `
CREATE INDEX IF NOT EXISTS audit_log_run_event ON ${s}.audit_log (run_id, event, seq);
`;
}

export class PostgresRunItems implements RunItemsStore {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {}

  async page(runId: string, q: RunItemsQuery): Promise<RunItemsPage> {
    const ends = await this.pool.query<ItemEndRow>(
      `SELECT seq, at, event, item_key, details FROM ${this.schema}.audit_log
       WHERE run_id = $1 AND event = ANY($2) AND seq > $3
       ORDER BY seq LIMIT $4`,
      [runId, eventsFor(q.outcome as ItemOutcome | undefined), cursorOf(q.after), q.limit + 1],
    );
    const failed = failedKeys(ends.rows);
    const steps = failed.length
      ? (
          await this.pool.query<StepEventRow>(
            `SELECT item_key, step_id, details, artifacts FROM ${this.schema}.audit_log
             WHERE run_id = $1 AND event = ANY($2) AND item_key = ANY($3)
             ORDER BY seq`,
            [runId, stepEvents, failed],
          )
        ).rows
      : [];
    return toPage(ends.rows, steps, q.limit);
  }

  async retryOf(runId: string): Promise<string | undefined> {
    const res = await this.pool.query<{ details: string }>(
      `SELECT details FROM ${this.schema}.audit_log WHERE run_id = $1 AND event = 'api.run-requested' ORDER BY seq LIMIT 1`,
      [runId],
    );
    return retryOfDetails(res.rows[0]);
  }

  async retries(runId: string): Promise<string[]> {
    const res = await this.pool.query<{ details: string }>(
      `SELECT details FROM ${this.schema}.audit_log WHERE run_id = $1 AND event = 'run.retry-requested' ORDER BY seq`,
      [runId],
    );
    return retryRunIds(res.rows);
  }
}
