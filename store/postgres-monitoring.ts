/** NoticeState and StatsStore on PostgreSQL, in the schema of the audit log and the inbox. */
import type { Pool } from 'pg';
import {
  finishedRunFrom,
  itemOutcomeFrom,
  itemOutcomeEvents,
  type FinishedRunSqlRow,
  type ItemOutcomeSqlRow,
  settledClaim,
} from './monitoring-rows.js';
import type { DecidedApprovalRow, NoticeState, StatsStore } from './types.js';

/**
 * Runs after the audit DDL. Times are ISO text compared byte-wise (COLLATE "C"), as a locale's
 * collation may not order them; the indexes use the same collation so the reads by event and time
 * (dashboard, notifier) can use them.
 */
export function postgresMonitoringDdl(s: string): string {
  return `
CREATE TABLE IF NOT EXISTS ${s}.notice_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  approval_id TEXT
);
CREATE INDEX IF NOT EXISTS notice_state_approval ON ${s}.notice_state (approval_id) WHERE approval_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS audit_log_event_at ON ${s}.audit_log (event, at COLLATE "C");
CREATE INDEX IF NOT EXISTS approvals_decided ON ${s}.approvals (decided_at COLLATE "C");
`;
}

export class PostgresNoticeState implements NoticeState {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    const res = await this.pool.query<{ value: string }>(
      `SELECT value FROM ${this.schema}.notice_state WHERE key = $1`,
      [key],
    );
    return res.rows[0]?.value;
  }

  async compareAndSet(key: string, expected: string | undefined, value: string, approvalId?: string): Promise<boolean> {
    const at = new Date().toISOString();
    const res =
      expected === undefined
        ? await this.pool.query(
            `INSERT INTO ${this.schema}.notice_state (key, value, updated_at, approval_id) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING`,
            [key, value, at, approvalId ?? null],
          )
        : await this.pool.query(
            `UPDATE ${this.schema}.notice_state SET value = $2, updated_at = $3 WHERE key = $1 AND value = $4`,
            [key, value, at, expected],
          );
    return res.rowCount === 1;
  }

  async pruneSettled(): Promise<number> {
    const res = await this.pool.query(
      `DELETE FROM ${this.schema}.notice_state WHERE ${settledClaim(`${this.schema}.approvals`)}`,
    );
    return res.rowCount ?? 0;
  }
}

const runKey = "run_id || ' ' || item_key";

export class PostgresStats implements StatsStore {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {}

  async itemOutcomes(from: string, to: string) {
    const res = await this.pool.query<ItemOutcomeSqlRow>(
      `SELECT automation_id, substr(at, 1, 13) AS hour,
         COUNT(DISTINCT CASE WHEN event = 'item.completed' THEN ${runKey} END) AS done,
         COUNT(DISTINCT CASE WHEN details::jsonb->>'flagged' = 'true' THEN ${runKey} END) AS flagged,
         COUNT(DISTINCT CASE WHEN event = 'item.rejected-by-approver' THEN ${runKey} END) AS rejected,
         COUNT(DISTINCT CASE WHEN event = 'item.failed' THEN ${runKey} END) AS failed
       FROM ${this.schema}.audit_log WHERE event = ANY($1::text[]) AND at COLLATE "C" >= $2 AND at COLLATE "C" < $3
         AND details::jsonb->>'trial' IS NULL
       GROUP BY automation_id, hour ORDER BY automation_id, substr(at, 1, 13) COLLATE "C"`,
      [itemOutcomeEvents, from, to],
    );
    return res.rows.map(itemOutcomeFrom);
  }

  async finishedRuns(from: string, to: string) {
    const res = await this.pool.query<FinishedRunSqlRow>(
      `SELECT c.run_id, c.automation_id, c.at, c.details::jsonb->>'staffMinutesFreed' AS minutes,
         (SELECT s.details::jsonb->>'department' FROM ${this.schema}.audit_log s
           WHERE s.run_id = c.run_id AND s.event = 'run.started' ORDER BY s.seq LIMIT 1) AS department
       FROM ${this.schema}.audit_log c WHERE c.event = 'run.completed' AND c.at COLLATE "C" >= $1 AND c.at COLLATE "C" < $2
         AND c.details::jsonb->>'trial' IS NULL
       ORDER BY c.at COLLATE "C", c.seq`,
      [from, to],
    );
    return res.rows.map(finishedRunFrom);
  }

  async decidedApprovals(from: string, to: string): Promise<DecidedApprovalRow[]> {
    const res = await this.pool.query<DecidedApprovalRow>(
      `SELECT automation_id AS "automationId", requested_at AS "requestedAt", decided_at AS "decidedAt", status
       FROM ${this.schema}.approvals
       WHERE decided_at COLLATE "C" >= $1 AND decided_at COLLATE "C" < $2 AND status IN ('approved', 'rejected', 'timed-out')
       ORDER BY decided_at COLLATE "C"`,
      [from, to],
    );
    return res.rows;
  }

  async departments(): Promise<Record<string, string>> {
    const res = await this.pool.query<{ automation_id: string; department: string | null }>(
      `SELECT DISTINCT ON (automation_id) automation_id, details::jsonb->>'department' AS department
       FROM ${this.schema}.audit_log WHERE event = 'run.started' ORDER BY automation_id, seq DESC`,
    );
    return Object.fromEntries(res.rows.map((r) => [r.automation_id, r.department ?? '']));
  }
}
