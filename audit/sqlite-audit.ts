/**
 * AuditStore on SQLite (better-sqlite3, WAL). Appends run in BEGIN IMMEDIATE transactions: the
 * write lock is taken before the last hash is read, so several processes appending at once
 * queue up instead of forking the chain. Appends of one event-loop turn share a transaction.
 */
import type { Database, Transaction } from 'better-sqlite3';
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

interface PendingAppend {
  inputs: AuditEntryInput[];
  resolve: (entries: AuditEntry[]) => void;
  reject: (err: unknown) => void;
}

export class SqliteAuditStore implements AuditStore {
  private readonly writeGroups: Transaction<(groups: AuditEntryInput[][]) => AuditEntry[][]>;
  private pending: PendingAppend[] = [];
  private flushScheduled = false;

  constructor(
    private readonly db: Database,
    private readonly closeAll: () => Promise<void>,
  ) {
    // Prepared once: appends are on every item's path, and preparing a statement costs CPU.
    const insert = db.prepare(`INSERT INTO audit_log (${auditColumns}) VALUES (${Array(13).fill('?').join(', ')})`);
    const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    this.writeGroups = db.transaction((groups: AuditEntryInput[][]) => {
      const tail = last.get() as { seq: number; hash: string } | undefined;
      let seq = tail?.seq ?? 0;
      let hash = tail?.hash ?? GENESIS_HASH;
      return groups.map((inputs) => {
        const entries = chainEntries(inputs, seq, hash);
        for (const e of entries) insert.run(...entryToParams(e));
        seq = entries[entries.length - 1].seq;
        hash = entries[entries.length - 1].hash;
        return entries;
      });
    });
  }

  /**
   * Group commit: every append asked for in the same turn of the event loop is written in one
   * IMMEDIATE transaction, so one fsync (synchronous=FULL) covers them all. Each promise resolves
   * only after that commit. If the batch fails, each append is retried in a transaction of its
   * own, so a bad entry fails only its own caller and nothing is half-written.
   */
  append(inputs: AuditEntryInput[]): Promise<AuditEntry[]> {
    if (inputs.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.pending.push({ inputs, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      const written = this.writeGroups.immediate(batch.map((p) => p.inputs));
      batch.forEach((p, i) => p.resolve(written[i]));
    } catch (err) {
      if (batch.length === 1) return batch[0].reject(err);
      for (const p of batch) {
        try {
          p.resolve(this.writeGroups.immediate([p.inputs])[0]);
        } catch (own) {
          p.reject(own);
        }
      }
    }
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
    const page = this.db.prepare(
      `SELECT ${auditColumns} FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT ${PAGE_SIZE}`,
    );
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
    this.flush(); // appends still waiting for their turn are written, not dropped
    return this.closeAll();
  }
}
