/**
 * AuditStore on SQLite (better-sqlite3, WAL). append() runs in a BEGIN IMMEDIATE transaction: the
 * write lock is taken before the last hash is read, so several processes appending at once
 * queue up instead of forking the chain.
 */
import type { Database } from 'better-sqlite3';
import { auditColumns, chainEntries, entryToParams, rowToEntry, type AuditRow } from './entry.js';
import { GENESIS_HASH } from './hash.js';
import type { AuditEntry, AuditEntryInput, AuditQuery, AuditStore, VerifyResult } from './types.js';
import { verifyChain } from './verify-chain.js';

const PAGE_SIZE = 1000;

export const sqliteAuditDdl = `
CREATE TABLE IF NOT EXISTS audit_log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor_kind TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  event TEXT NOT NULL,
  automation_id TEXT NOT NULL DEFAULT '',
  run_id TEXT NOT NULL DEFAULT '',
  item_key TEXT NOT NULL DEFAULT '',
  step_id TEXT NOT NULL DEFAULT '',
  details TEXT NOT NULL DEFAULT '{}',
  artifacts TEXT NOT NULL DEFAULT '[]',
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_log_run ON audit_log (run_id, seq);
CREATE INDEX IF NOT EXISTS audit_log_automation ON audit_log (automation_id, seq);
CREATE INDEX IF NOT EXISTS audit_log_item ON audit_log (item_key, seq);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused'); END;
`;

export class SqliteAuditStore implements AuditStore {
  constructor(
    private readonly db: Database,
    private readonly closeAll: () => Promise<void>,
  ) {}

  async append(inputs: AuditEntryInput[]): Promise<AuditEntry[]> {
    if (inputs.length === 0) return [];
    const insert = this.db.prepare(`INSERT INTO audit_log (${auditColumns}) VALUES (${Array(13).fill('?').join(', ')})`);
    const run = this.db.transaction(() => {
      const last = this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
        | { seq: number; hash: string }
        | undefined;
      const entries = chainEntries(inputs, last?.seq ?? 0, last?.hash ?? GENESIS_HASH);
      for (const e of entries) insert.run(...entryToParams(e));
      return entries;
    });
    return run.immediate();
  }

  async query(q: AuditQuery): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      where.push(clause);
      params.push(value);
    };
    if (q.automationId !== undefined) add('automation_id = ?', q.automationId);
    if (q.runId !== undefined) add('run_id = ?', q.runId);
    if (q.itemKey !== undefined) add('item_key = ?', q.itemKey);
    if (q.fromSeq !== undefined) add('seq >= ?', q.fromSeq);
    let sql = `SELECT ${auditColumns} FROM audit_log${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`;
    if (q.limit !== undefined) {
      sql += ' LIMIT ?';
      params.push(q.limit);
    }
    return (this.db.prepare(sql).all(...params) as AuditRow[]).map(rowToEntry);
  }

  async *iterate(fromSeq = 1): AsyncIterable<AuditEntry> {
    const page = this.db.prepare(`SELECT ${auditColumns} FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT ${PAGE_SIZE}`);
    let next = fromSeq;
    for (;;) {
      const rows = page.all(next) as AuditRow[];
      for (const row of rows) yield rowToEntry(row);
      if (rows.length < PAGE_SIZE) return;
      next = Number(rows[rows.length - 1].seq) + 1;
    }
  }

  verify(): Promise<VerifyResult> {
    return verifyChain(this.iterate());
  }

  close(): Promise<void> {
    return this.closeAll();
  }
}
