/** ApprovalStore and ItemLedger on SQLite, sharing the audit log's database file. */
import type { Database, Statement, Transaction } from 'better-sqlite3';
import {
  approvalColumns,
  explainUnchangedDecision,
  mergeRoles,
  rowToApproval,
  validateDecision,
  validatePending,
  type ApprovalRow,
  type Decision,
  type PendingRecord,
} from './approval-row.js';
import { ApprovalNotFoundError } from './errors.js';
import type { ApprovalFilter, ApprovalRecord, ApprovalStore, ItemLedger, OpenApprovalStats } from './types.js';
import { openStatsFrom, type OpenStatsSqlRow } from './monitoring-rows.js';

export const sqliteStoreDdl = `
CREATE TABLE IF NOT EXISTS approvals (
  approval_id TEXT PRIMARY KEY,
  automation_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  item_workflow_id TEXT NOT NULL,
  item_key TEXT NOT NULL,
  step_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  approver_roles TEXT NOT NULL,
  initiator TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  due_at TEXT NOT NULL,
  item TEXT NOT NULL,
  step_outputs TEXT NOT NULL,
  screenshot_path TEXT,
  status TEXT NOT NULL,
  decided_by TEXT,
  decided_at TEXT,
  comment TEXT,
  escalated_at TEXT
);
CREATE INDEX IF NOT EXISTS approvals_status_due ON approvals (status, due_at, requested_at);
CREATE INDEX IF NOT EXISTS approvals_run ON approvals (run_id);
CREATE TABLE IF NOT EXISTS item_ledger (
  automation_id TEXT NOT NULL,
  item_key TEXT NOT NULL,
  run_id TEXT NOT NULL,
  outcome TEXT NOT NULL,
  done_at TEXT NOT NULL,
  PRIMARY KEY (automation_id, item_key)
);
`;

export class SqliteApprovalStore implements ApprovalStore {
  constructor(private readonly db: Database) {}

  async putPending(record: PendingRecord): Promise<void> {
    const r = validatePending(record);
    this.db
      .prepare(
        `INSERT INTO approvals (${approvalColumns}) VALUES (${Array(19).fill('?').join(', ')}) ON CONFLICT (approval_id) DO NOTHING`,
      )
      .run(
        r.approvalId,
        r.automationId,
        r.runId,
        r.itemWorkflowId,
        r.itemKey,
        r.stepId,
        JSON.stringify(r.reason),
        JSON.stringify(r.approverRoles),
        r.initiator,
        r.requestedAt,
        r.dueAt,
        JSON.stringify(r.item ?? {}),
        JSON.stringify(r.stepOutputs ?? {}),
        r.screenshotPath ?? null,
        'pending',
        null,
        null,
        null,
        null,
      );
  }

  async markEscalated(approvalId: string, at: string, addRoles: string[]): Promise<void> {
    // Read-modify-write of the role list; IMMEDIATE keeps another process from interleaving.
    this.db
      .transaction(() => {
        const row = this.db
          .prepare('SELECT status, approver_roles FROM approvals WHERE approval_id = ?')
          .get(approvalId) as { status: string; approver_roles: string } | undefined;
        if (!row) throw new ApprovalNotFoundError(approvalId);
        if (row.status !== 'pending' && row.status !== 'escalated') return; // decided already: nothing to escalate
        const roles = mergeRoles(JSON.parse(row.approver_roles) as string[], addRoles);
        this.db
          .prepare(
            "UPDATE approvals SET status = 'escalated', escalated_at = ?, approver_roles = ? WHERE approval_id = ?",
          )
          .run(at, JSON.stringify(roles), approvalId);
      })
      .immediate();
  }

  async recordDecision(approvalId: string, d: Decision): Promise<void> {
    validateDecision(approvalId, d);
    const changed = this.db
      .prepare(
        "UPDATE approvals SET status = ?, decided_by = ?, decided_at = ?, comment = ? WHERE approval_id = ? AND status IN ('pending', 'escalated')",
      )
      .run(d.status, d.actor, d.at, d.comment ?? null, approvalId).changes;
    if (changed === 0) explainUnchangedDecision(approvalId, await this.get(approvalId), d);
  }

  async get(approvalId: string): Promise<ApprovalRecord | undefined> {
    const row = this.db.prepare(`SELECT ${approvalColumns} FROM approvals WHERE approval_id = ?`).get(approvalId) as
      ApprovalRow | undefined;
    return row ? rowToApproval(row) : undefined;
  }

  async list(f: ApprovalFilter): Promise<ApprovalRecord[]> {
    // An empty list matches nothing: a user with no roles must see no approvals, not all of them.
    if (f.status?.length === 0 || f.roles?.length === 0) return [];
    const where: string[] = [];
    const params: unknown[] = [];
    const marks = (n: number) => Array(n).fill('?').join(', ');
    const add = (clause: string, ...values: unknown[]) => {
      where.push(clause);
      params.push(...values);
    };
    if (f.status) add(`status IN (${marks(f.status.length)})`, ...f.status);
    if (f.automationId !== undefined) add('automation_id = ?', f.automationId);
    if (f.runId !== undefined) add('run_id = ?', f.runId);
    if (f.decidedBy !== undefined) add('decided_by = ?', f.decidedBy);
    if (f.roles)
      add(
        `EXISTS (SELECT 1 FROM json_each(approvals.approver_roles) r WHERE r.value IN (${marks(f.roles.length)}))`,
        ...f.roles,
      );
    const sql = `SELECT ${approvalColumns} FROM approvals${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY due_at, requested_at, approval_id`;
    return (this.db.prepare(sql).all(...params) as ApprovalRow[]).map(rowToApproval);
  }

  async openStats(now: string): Promise<OpenApprovalStats[]> {
    const rows = this.db
      .prepare(
        `SELECT automation_id, status, COUNT(*) AS n, MIN(requested_at) AS oldest,
           SUM(CASE WHEN due_at < ? THEN 1 ELSE 0 END) AS overdue
         FROM approvals WHERE status IN ('pending', 'escalated') GROUP BY automation_id, status ORDER BY automation_id, status`,
      )
      .all(new Date(now).toISOString()) as OpenStatsSqlRow[];
    return rows.map(openStatsFrom);
  }
}

export class SqliteItemLedger implements ItemLedger {
  private readonly upsertDone: Statement;
  private readonly upsertAll: Transaction<
    (automationId: string, runId: string, items: { key: string; outcome: string }[], at: string) => void
  >;

  constructor(private readonly db: Database) {
    this.upsertDone = db.prepare(
      `INSERT INTO item_ledger (automation_id, item_key, run_id, outcome, done_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (automation_id, item_key) DO UPDATE SET run_id = excluded.run_id, outcome = excluded.outcome, done_at = excluded.done_at`,
    );
    this.upsertAll = db.transaction((automationId, runId, items, at) => {
      for (const item of items) this.upsertDone.run(automationId, item.key, runId, item.outcome, at);
    });
  }

  async doneKeys(automationId: string, keys: string[]): Promise<Set<string>> {
    const done = new Set<string>();
    // SQLite limits bound parameters per statement; ask in slices.
    for (let i = 0; i < keys.length; i += 500) {
      const slice = keys.slice(i, i + 500);
      const rows = this.db
        .prepare(
          `SELECT item_key FROM item_ledger WHERE automation_id = ? AND item_key IN (${Array(slice.length).fill('?').join(', ')})`,
        )
        .all(automationId, ...slice) as { item_key: string }[];
      for (const r of rows) done.add(r.item_key);
    }
    return done;
  }

  async markDone(automationId: string, runId: string, items: { key: string; outcome: string }[]): Promise<void> {
    this.upsertAll.immediate(automationId, runId, items, new Date().toISOString());
  }

  async forget(automationId: string, keys?: string[]): Promise<string[]> {
    const forgotten: string[] = [];
    const remove = this.db.transaction(() => {
      if (keys === undefined) {
        const rows = this.db
          .prepare('DELETE FROM item_ledger WHERE automation_id = ? RETURNING item_key')
          .all(automationId) as { item_key: string }[];
        forgotten.push(...rows.map((r) => r.item_key));
        return;
      }
      const one = this.db.prepare(
        'DELETE FROM item_ledger WHERE automation_id = ? AND item_key = ? RETURNING item_key',
      );
      for (const key of new Set(keys)) if (one.get(automationId, key)) forgotten.push(key);
    });
    remove.immediate();
    return forgotten;
  }
}
