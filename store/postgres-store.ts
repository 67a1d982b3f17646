/** ApprovalStore and ItemLedger on PostgreSQL, in the same schema as the audit log. */
import type { Pool } from 'pg';
import { inTransaction } from './postgres-transaction.js';
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

/** DDL for schema `s` (already validated and quoted by the caller). */
export function postgresStoreDdl(s: string): string {
  return `
CREATE TABLE IF NOT EXISTS ${s}.approvals (
  approval_id TEXT PRIMARY KEY,
  automation_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  item_workflow_id TEXT NOT NULL,
  item_key TEXT NOT NULL,
  step_id TEXT NOT NULL,
  reason JSONB NOT NULL,
  approver_roles TEXT[] NOT NULL,
  initiator TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  due_at TEXT NOT NULL,
  item JSONB NOT NULL,
  step_outputs JSONB NOT NULL,
  screenshot_path TEXT,
  status TEXT NOT NULL,
  decided_by TEXT,
  decided_at TEXT,
  comment TEXT,
  escalated_at TEXT
);
CREATE INDEX IF NOT EXISTS approvals_status_due ON ${s}.approvals (status, due_at, requested_at);
CREATE INDEX IF NOT EXISTS approvals_run ON ${s}.approvals (run_id);
CREATE TABLE IF NOT EXISTS ${s}.item_ledger (
  automation_id TEXT NOT NULL,
  item_key TEXT NOT NULL,
  run_id TEXT NOT NULL,
  outcome TEXT NOT NULL,
  done_at TEXT NOT NULL,
  PRIMARY KEY (automation_id, item_key)
);
`;
}

export class PostgresApprovalStore implements ApprovalStore {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {}

  async putPending(record: PendingRecord): Promise<void> {
    const r = validatePending(record);
    await this.pool.query(
      `INSERT INTO ${this.schema}.approvals (${approvalColumns})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'pending', NULL, NULL, NULL, NULL)
       ON CONFLICT (approval_id) DO NOTHING`,
      [
        r.approvalId,
        r.automationId,
        r.runId,
        r.itemWorkflowId,
        r.itemKey,
        r.stepId,
        JSON.stringify(r.reason),
        r.approverRoles,
        r.initiator,
        r.requestedAt,
        r.dueAt,
        JSON.stringify(r.item ?? {}),
        JSON.stringify(r.stepOutputs ?? {}),
        r.screenshotPath ?? null,
      ],
    );
  }

  async markEscalated(approvalId: string, at: string, addRoles: string[]): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      // FOR UPDATE: two escalations at once must not lose each other's roles.
      const res = await client.query<{ status: string; approver_roles: string[] }>(
        `SELECT status, approver_roles FROM ${this.schema}.approvals WHERE approval_id = $1 FOR UPDATE`,
        [approvalId],
      );
      const row = res.rows[0];
      if (!row) throw new ApprovalNotFoundError(approvalId);
      if (row.status === 'pending' || row.status === 'escalated') {
        await client.query(
          `UPDATE ${this.schema}.approvals SET status = 'escalated', escalated_at = $2, approver_roles = $3 WHERE approval_id = $1`,
          [approvalId, at, mergeRoles(row.approver_roles, addRoles)],
        );
      }
    });
  }

  async recordDecision(approvalId: string, d: Decision): Promise<void> {
    validateDecision(approvalId, d);
    const res = await this.pool.query(
      `UPDATE ${this.schema}.approvals SET status = $2, decided_by = $3, decided_at = $4, comment = $5
       WHERE approval_id = $1 AND status IN ('pending', 'escalated')`,
      [approvalId, d.status, d.actor, d.at, d.comment ?? null],
    );
    if (res.rowCount === 0) explainUnchangedDecision(approvalId, await this.get(approvalId), d);
  }

  async get(approvalId: string): Promise<ApprovalRecord | undefined> {
    const res = await this.pool.query<ApprovalRow>(
      `SELECT ${approvalColumns} FROM ${this.schema}.approvals WHERE approval_id = $1`,
      [approvalId],
    );
    return res.rows[0] ? rowToApproval(res.rows[0]) : undefined;
  }

  async list(f: ApprovalFilter): Promise<ApprovalRecord[]> {
    // An empty list matches nothing: a user with no roles must see no approvals, not all of them.
    if (f.status?.length === 0 || f.roles?.length === 0) return [];
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      params.push(value);
      where.push(clause.replace('?', `$${params.length}`));
    };
    if (f.status) add('status = ANY(?::text[])', f.status);
    if (f.automationId !== undefined) add('automation_id = ?', f.automationId);
    if (f.runId !== undefined) add('run_id = ?', f.runId);
    if (f.decidedBy !== undefined) add('decided_by = ?', f.decidedBy);
    if (f.roles) add('approver_roles && ?::text[]', f.roles);
    const res = await this.pool.query<ApprovalRow>(
      `SELECT ${approvalColumns} FROM ${this.schema}.approvals${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
       ORDER BY due_at COLLATE "C", requested_at COLLATE "C", approval_id`,
      params,
    );
    return res.rows.map(rowToApproval);
  }

  async openStats(now: string): Promise<OpenApprovalStats[]> {
    const res = await this.pool.query<OpenStatsSqlRow>(
      `SELECT automation_id, status, COUNT(*) AS n, MIN(requested_at COLLATE "C") AS oldest,
         SUM(CASE WHEN due_at COLLATE "C" < $1 THEN 1 ELSE 0 END) AS overdue
       FROM ${this.schema}.approvals WHERE status IN ('pending', 'escalated')
       GROUP BY automation_id, status ORDER BY automation_id, status`,
      [new Date(now).toISOString()],
    );
    return res.rows.map(openStatsFrom);
  }
}

export class PostgresItemLedger implements ItemLedger {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {}

  async doneKeys(automationId: string, keys: string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const res = await this.pool.query<{ item_key: string }>(
      `SELECT item_key FROM ${this.schema}.item_ledger WHERE automation_id = $1 AND item_key = ANY($2::text[])`,
      [automationId, keys],
    );
    return new Set(res.rows.map((r) => r.item_key));
  }

  async markDone(automationId: string, runId: string, items: { key: string; outcome: string }[]): Promise<void> {
    if (items.length === 0) return;
    // One statement for the batch (atomic on its own); a key twice in one batch would make
    // ON CONFLICT touch a row twice, which PostgreSQL refuses, so the last outcome of a key wins.
    const last = new Map(items.map((i) => [i.key, i.outcome]));
    await this.pool.query(
      `INSERT INTO ${this.schema}.item_ledger (automation_id, item_key, run_id, outcome, done_at)
       SELECT $1, k, $2, o, $3 FROM unnest($4::text[], $5::text[]) AS t(k, o)
       ON CONFLICT (automation_id, item_key) DO UPDATE SET run_id = excluded.run_id, outcome = excluded.outcome, done_at = excluded.done_at`,
      [automationId, runId, new Date().toISOString(), [...last.keys()], [...last.values()]],
    );
  }

  async forget(automationId: string, keys?: string[]): Promise<string[]> {
    const res =
      keys === undefined
        ? await this.pool.query<{ item_key: string }>(
            `DELETE FROM ${this.schema}.item_ledger WHERE automation_id = $1 RETURNING item_key`,
            [automationId],
          )
        : await this.pool.query<{ item_key: string }>(
            `DELETE FROM ${this.schema}.item_ledger WHERE automation_id = $1 AND item_key = ANY($2::text[]) RETURNING item_key`,
            [automationId, keys],
          );
    return res.rows.map((r) => r.item_key);
  }
}
