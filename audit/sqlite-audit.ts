/**
 * AuditStore on SQLite (better-sqlite3, WAL). Appends run in BEGIN IMMEDIATE transactions: the
 * write lock is taken before the last hash is read, so several processes appending at once
 * queue up instead of forking the chain. Appends of one event-loop turn share a transaction.
 * Triggers refuse UPDATE, DELETE and an INSERT over an existing entry (INSERT OR REPLACE would
 * otherwise delete the row without firing the DELETE trigger); signed checkpoints (anchor.ts)
 * catch what someone who drops the triggers does.
 */
import type { Database, Statement, Transaction } from 'better-sqlite3';
import type { AuditAnchor, Checkpoint } from './anchor.js';
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
CREATE TRIGGER IF NOT EXISTS audit_log_no_replace BEFORE INSERT ON audit_log
WHEN EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.seq)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: replacing an entry refused'); END;
CREATE TABLE IF NOT EXISTS audit_checkpoints (
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL,
  at TEXT NOT NULL,
  signature TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only: DELETE refused'); END;
`;

const guards = [
  'audit_log_no_update',
  'audit_log_no_delete',
  'audit_log_no_replace',
  'audit_checkpoints_no_update',
  'audit_checkpoints_no_delete',
];

interface PendingAppend {
  inputs: AuditEntryInput[];
  resolve: (entries: AuditEntry[]) => void;
  reject: (err: unknown) => void;
}

export class SqliteAuditStore implements AuditStore {
  private readonly writeGroups: Transaction<(groups: AuditEntryInput[][]) => AuditEntry[][]>;
  private readonly saveCheckpoint: Statement;
  private readonly timer: NodeJS.Timeout;
  private pending: PendingAppend[] = [];
  private flushScheduled = false;

  constructor(
    private readonly db: Database,
    private readonly anchor: AuditAnchor,
    private readonly closeAll: () => Promise<void>,
  ) {
    this.saveCheckpoint = db.prepare('INSERT INTO audit_checkpoints (seq, hash, at, signature) VALUES (?, ?, ?, ?)');
    // A quiet process still anchors what it appended within the interval.
    this.timer = setInterval(() => this.store(() => this.anchor.pending()), anchor.intervalMs).unref();
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
      this.committed(written[written.length - 1]);
      batch.forEach((p, i) => p.resolve(written[i]));
    } catch (err) {
      if (batch.length === 1) return batch[0].reject(err);
      for (const p of batch) {
        try {
          const [entries] = this.writeGroups.immediate([p.inputs]);
          this.committed(entries);
          p.resolve(entries);
        } catch (own) {
          p.reject(own);
        }
      }
    }
  }

  /** The last entries of a commit are the head at that commit: a checkpoint when one is due. */
  private committed(entries: AuditEntry[]): void {
    const head = entries[entries.length - 1];
    this.store(() => this.anchor.afterCommit(head.seq, head.hash));
  }

  /**
   * Signs and keeps a checkpoint. Its entries are committed already, so a failure here must not
   * fail their append (the caller would write them twice): it is reported as a process warning,
   * and the next checkpoint covers them.
   */
  private store(make: () => Checkpoint | undefined): void {
    try {
      const c = make();
      if (c) this.saveCheckpoint.run(c.seq, c.hash, c.at, c.signature);
    } catch (err) {
      process.emitWarning(`audit checkpoint not written: ${(err as Error).message}`, 'AvlastaAuditWarning');
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
    const stored = this.db.prepare('SELECT seq, hash, at, signature FROM audit_checkpoints').all() as Checkpoint[];
    const present = new Set(
      (this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]).map(
        (r) => r.name,
      ),
    );
    return verifyChain(this.iterate(), {
      checkpoints: [...this.anchor.fileCheckpoints(), ...stored],
      genuine: (c) => this.anchor.genuine(c),
      missingGuards: guards.filter((g) => !present.has(g)),
      checkpointFile: this.anchor.checkpointFile,
    });
  }

  close(): Promise<void> {
    clearInterval(this.timer);
    this.flush(); // appends still waiting for their turn are written, not dropped
    this.store(() => this.anchor.pending());
    return this.closeAll();
  }
}
