/**
 * AuditStore on PostgreSQL. append() takes a transaction-scoped advisory lock before reading the
 * last hash: appenders in any process queue up, readers do not wait, and the chain cannot fork.
 * (Not LOCK TABLE: that needs UPDATE rights, and the application's role may only INSERT and
 * SELECT here; `avlasta db migrate --grant-to` sets that up.) Triggers refuse UPDATE, DELETE and
 * TRUNCATE and are ENABLE ALWAYS, so session_replication_role = replica does not switch them off;
 * signed checkpoints (anchor.ts) catch what a superuser who disables them does.
 */
import type { Pool } from 'pg';
import type { AuditAnchor, Checkpoint } from './anchor.js';
import { auditColumns, chainEntries, entryToParams, rowToEntry, type AuditRow } from './entry.js';
import { GENESIS_HASH } from './hash.js';
import type { AuditEntry, AuditEntryInput, AuditQuery, AuditStore, VerifyResult } from './types.js';
import { verifyChain } from './verify-chain.js';
import { inTransaction } from '../store/postgres-transaction.js';

const PAGE_SIZE = 1000;
const ROWS_PER_INSERT = 4000;

/** The append-only triggers verify expects, each on its table and enabled ALWAYS. */
const guards = [
  'audit_log_no_change',
  'audit_log_no_truncate',
  'audit_checkpoints_no_change',
  'audit_checkpoints_no_truncate',
];

/** DDL for schema `s` (already validated and quoted by the caller). */
export function postgresAuditDdl(s: string): string {
  const guard = (table: string) => `
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = '${table}_no_change' AND tgrelid = '${s}.${table}'::regclass) THEN
    CREATE TRIGGER ${table}_no_change BEFORE UPDATE OR DELETE ON ${s}.${table}
      FOR EACH ROW EXECUTE FUNCTION ${s}.audit_log_refuse_change();
    ALTER TABLE ${s}.${table} ENABLE ALWAYS TRIGGER ${table}_no_change;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = '${table}_no_truncate' AND tgrelid = '${s}.${table}'::regclass) THEN
    CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${s}.${table}
      FOR EACH STATEMENT EXECUTE FUNCTION ${s}.audit_log_refuse_change();
    ALTER TABLE ${s}.${table} ENABLE ALWAYS TRIGGER ${table}_no_truncate;
  END IF;`;
  return `
CREATE TABLE IF NOT EXISTS ${s}.audit_log (
  seq BIGINT PRIMARY KEY,
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
CREATE INDEX IF NOT EXISTS audit_log_run ON ${s}.audit_log (run_id, seq);
CREATE INDEX IF NOT EXISTS audit_log_automation ON ${s}.audit_log (automation_id, seq);
CREATE INDEX IF NOT EXISTS audit_log_item ON ${s}.audit_log (item_key, seq);
CREATE TABLE IF NOT EXISTS ${s}.audit_checkpoints (
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL,
  at TEXT NOT NULL,
  signature TEXT NOT NULL
);
CREATE OR REPLACE FUNCTION ${s}.audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
DO $$ BEGIN${guard('audit_log')}${guard('audit_checkpoints')}
END $$;
`;
}

/** What the application's role may do: read and append, nothing else. */
export function postgresAuditGrants(s: string, role: string): string {
  return `GRANT SELECT, INSERT ON ${s}.audit_log, ${s}.audit_checkpoints TO ${role};`;
}

export class PostgresAuditStore implements AuditStore {
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    private readonly anchor: AuditAnchor,
    private readonly closeAll: () => Promise<void>,
  ) {
    // A quiet process still anchors what it appended within the interval.
    this.timer = setInterval(() => void this.store(() => this.anchor.pending()), anchor.intervalMs).unref();
  }

  /**
   * Signs and keeps a checkpoint. Its entries are committed already, so a failure here must not
   * fail their append (the caller would write them twice): it is reported as a process warning,
   * and the next checkpoint covers them.
   */
  private async store(make: () => Checkpoint | undefined): Promise<void> {
    try {
      const c = make();
      if (c)
        await this.pool.query(
          `INSERT INTO ${this.schema}.audit_checkpoints (seq, hash, at, signature) VALUES ($1, $2, $3, $4)`,
          [c.seq, c.hash, c.at, c.signature],
        );
    } catch (err) {
      process.emitWarning(`audit checkpoint not written: ${(err as Error).message}`, 'AvlastaAuditWarning');
    }
  }

  async append(inputs: AuditEntryInput[]): Promise<AuditEntry[]> {
    if (inputs.length === 0) return [];
    const entries = await inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`avlasta.audit.${this.schema}`]);
      const last = await client.query<{ seq: string; hash: string }>(
        `SELECT seq, hash FROM ${this.schema}.audit_log ORDER BY seq DESC LIMIT 1`,
      );
      const chained = chainEntries(inputs, Number(last.rows[0]?.seq ?? 0), last.rows[0]?.hash ?? GENESIS_HASH);
      // 13 parameters per row and at most 65535 per statement: insert in slices.
      for (let i = 0; i < chained.length; i += ROWS_PER_INSERT) {
        const slice = chained.slice(i, i + ROWS_PER_INSERT);
        const values = slice.map(
          (_, r) => `(${Array.from({ length: 13 }, (_, c) => `$${r * 13 + c + 1}`).join(', ')})`,
        );
        await client.query(
          `INSERT INTO ${this.schema}.audit_log (${auditColumns}) VALUES ${values.join(', ')}`,
          slice.flatMap(entryToParams),
        );
      }
      return chained;
    });
    const head = entries[entries.length - 1];
    await this.store(() => this.anchor.afterCommit(head.seq, head.hash));
    return entries;
  }

  async query(q: AuditQuery): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      params.push(value);
      where.push(clause.replace('?', `$${params.length}`));
    };
    if (q.automationId !== undefined) add('automation_id = ?', q.automationId);
    if (q.runId !== undefined) add('run_id = ?', q.runId);
    if (q.itemKey !== undefined) add('item_key = ?', q.itemKey);
    if (q.fromSeq !== undefined) add('seq >= ?', q.fromSeq);
    let sql = `SELECT ${auditColumns} FROM ${this.schema}.audit_log${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`;
    if (q.limit !== undefined) {
      params.push(q.limit);
      sql += ` LIMIT $${params.length}`;
    }
    const res = await this.pool.query<AuditRow>(sql, params);
    return res.rows.map(rowToEntry);
  }

  async *iterate(fromSeq = 1): AsyncIterable<AuditEntry> {
    let next = fromSeq;
    for (;;) {
      const res = await this.pool.query<AuditRow>(
        `SELECT ${auditColumns} FROM ${this.schema}.audit_log WHERE seq >= $1 ORDER BY seq LIMIT ${PAGE_SIZE}`,
        [next],
      );
      for (const row of res.rows) yield rowToEntry(row);
      if (res.rows.length < PAGE_SIZE) return;
      next = Number(res.rows[res.rows.length - 1].seq) + 1;
    }
  }

  async verify(): Promise<VerifyResult> {
    const stored = await this.pool.query<{ seq: string; hash: string; at: string; signature: string }>(
      `SELECT seq, hash, at, signature FROM ${this.schema}.audit_checkpoints`,
    );
    // 'A': enabled ALWAYS, as the DDL leaves them; 'D' is disabled, 'O' off under replica.
    const present = await this.pool.query<{ tgname: string }>(
      `SELECT tgname FROM pg_trigger WHERE tgrelid IN ('${this.schema}.audit_log'::regclass, '${this.schema}.audit_checkpoints'::regclass) AND tgenabled = 'A'`,
    );
    const enabled = new Set(present.rows.map((r) => r.tgname));
    return verifyChain(this.iterate(), {
      checkpoints: [...this.anchor.fileCheckpoints(), ...stored.rows.map((r) => ({ ...r, seq: Number(r.seq) }))],
      genuine: (c) => this.anchor.genuine(c),
      missingGuards: guards.filter((g) => !enabled.has(g)),
      checkpointFile: this.anchor.checkpointFile,
    });
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.store(() => this.anchor.pending());
    return this.closeAll();
  }
}
