/** NoticeState and StatsStore on SQLite, beside the audit log and the inbox they read. */
import type { Database } from 'better-sqlite3';
import {
  finishedRunFrom,
  itemOutcomeFrom,
  itemOutcomeEvents,
  type FinishedRunSqlRow,
  type ItemOutcomeSqlRow,
  settledClaim,
} from './monitoring-rows.js';
import type { DecidedApprovalRow, NoticeState, StatsStore } from './types.js';

/** Runs after the audit DDL: the index serves the dashboard's and the notifier's reads by event and time. */
export const sqliteMonitoringDdl = `
CREATE TABLE IF NOT EXISTS notice_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  approval_id TEXT
);
CREATE INDEX IF NOT EXISTS notice_state_approval ON notice_state (approval_id) WHERE approval_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS audit_log_event_at ON audit_log (event, at);
CREATE INDEX IF NOT EXISTS approvals_decided ON approvals (decided_at);
`;

export class SqliteNoticeState implements NoticeState {
  constructor(private readonly db: Database) {}

  async get(key: string): Promise<string | undefined> {
    const row = this.db.prepare('SELECT value FROM notice_state WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row?.value;
  }

  async compareAndSet(key: string, expected: string | undefined, value: string, approvalId?: string): Promise<boolean> {
    const at = new Date().toISOString();
    const changes =
      expected === undefined
        ? this.db
            .prepare(
              'INSERT INTO notice_state (key, value, updated_at, approval_id) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING',
            )
            .run(key, value, at, approvalId ?? null).changes
        : this.db
            .prepare('UPDATE notice_state SET value = ?, updated_at = ? WHERE key = ? AND value = ?')
            .run(value, at, key, expected).changes;
    return changes === 1;
  }

  async pruneSettled(): Promise<number> {
    return this.db.prepare(`DELETE FROM notice_state WHERE ${settledClaim('approvals')}`).run().changes;
  }
}

const runKey = "run_id || ' ' || item_key";

export class SqliteStats implements StatsStore {
  constructor(private readonly db: Database) {}

  async itemOutcomes(from: string, to: string) {
    const marks = itemOutcomeEvents.map(() => '?').join(', ');
    const rows = this.db
      .prepare(
        `SELECT automation_id, substr(at, 1, 13) AS hour,
           COUNT(DISTINCT CASE WHEN event = 'item.completed' THEN ${runKey} END) AS done,
           COUNT(DISTINCT CASE WHEN json_extract(details, '$.flagged') = 1 THEN ${runKey} END) AS flagged,
           COUNT(DISTINCT CASE WHEN event = 'item.rejected-by-approver' THEN ${runKey} END) AS rejected,
           COUNT(DISTINCT CASE WHEN event = 'item.failed' THEN ${runKey} END) AS failed
         FROM audit_log WHERE event IN (${marks}) AND at >= ? AND at < ? AND json_extract(details, '$.trial') IS NULL
         GROUP BY automation_id, hour ORDER BY automation_id, hour`,
      )
      .all(...itemOutcomeEvents, from, to) as ItemOutcomeSqlRow[];
    return rows.map(itemOutcomeFrom);
  }

  async finishedRuns(from: string, to: string) {
    const rows = this.db
      .prepare(
        `SELECT c.run_id, c.automation_id, c.at, json_extract(c.details, '$.staffMinutesFreed') AS minutes,
           (SELECT json_extract(s.details, '$.department') FROM audit_log s
             WHERE s.run_id = c.run_id AND s.event = 'run.started' ORDER BY s.seq LIMIT 1) AS department
         FROM audit_log c WHERE c.event = 'run.completed' AND c.at >= ? AND c.at < ?
           AND json_extract(c.details, '$.trial') IS NULL ORDER BY c.at, c.seq`,
      )
      .all(from, to) as FinishedRunSqlRow[];
    return rows.map(finishedRunFrom);
  }

  async decidedApprovals(from: string, to: string): Promise<DecidedApprovalRow[]> {
    return this.db
      .prepare(
        `SELECT automation_id AS automationId, requested_at AS requestedAt, decided_at AS decidedAt, status
         FROM approvals WHERE decided_at >= ? AND decided_at < ? AND status IN ('approved', 'rejected', 'timed-out')
         ORDER BY decided_at`,
      )
      .all(from, to) as DecidedApprovalRow[];
  }

  async departments(): Promise<Record<string, string>> {
    // SQLite takes the bare columns from the row MAX(seq) picked: the latest run.started.
    const rows = this.db
      .prepare(
        `SELECT automation_id, json_extract(details, '$.department') AS department, MAX(seq)
         FROM audit_log WHERE event = 'run.started' GROUP BY automation_id`,
      )
      .all() as { automation_id: string; department: string | null }[];
    return Object.fromEntries(rows.map((r) => [r.automation_id, r.department ?? '']));
  }
}
