/**
 * AuditStore on PostgreSQL. append() takes LOCK TABLE ... IN EXCLUSIVE MODE inside its
 * transaction before reading the last hash: appenders in any process queue up, readers do not
 * wait, and the chain cannot fork.
 */
import type { Pool } from 'pg';
import { auditColumns, chainEntries, entryToParams, rowToEntry, type AuditRow } from './entry.js';
import { GENESIS_HASH } from './hash.js';
import type { AuditEntry, AuditEntryInput, AuditQuery, AuditStore, VerifyResult } from './types.js';
import { verifyChain } from './verify-chain.js';
import { inTransaction } from '../store/postgres-transaction.js';

const PAGE_SIZE = 1000;
const ROWS_PER_INSERT = 4000;

/** DDL for schema `s` (already validated and quoted by the caller). */
export function postgresAuditDdl(s: string): string {
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
CREATE OR REPLACE FUNCTION ${s}.audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'audit_log_no_change' AND tgrelid = '${s}.audit_log'::regclass) THEN
    CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON ${s}.audit_log
      FOR EACH ROW EXECUTE FUNCTION ${s}.audit_log_refuse_change();
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'audit_log_no_truncate' AND tgrelid = '${s}.audit_log'::regclass) THEN
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON ${s}.audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION ${s}.audit_log_refuse_change();
  END IF;
END $$;
`;
}

export class PostgresAuditStore implements AuditStore {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    private readonly closeAll: () => Promise<void>,
  ) {}

  async append(inputs: AuditEntryInput[]): Promise<AuditEntry[]> {
    if (inputs.length === 0) return [];
    return inTransaction(this.pool, async (client) => {
      await client.query(`LOCK TABLE ${this.schema}.audit_log IN EXCLUSIVE MODE`);
      const last = await client.query<{ seq: string; hash: string }>(
        `SELECT seq, hash FROM ${this.schema}.audit_log ORDER BY seq DESC LIMIT 1`,
      );
      const entries = chainEntries(inputs, Number(last.rows[0]?.seq ?? 0), last.rows[0]?.hash ?? GENESIS_HASH);
      // 13 parameters per row and at most 65535 per statement: insert in slices.
      for (let i = 0; i < entries.length; i += ROWS_PER_INSERT) {
        const slice = entries.slice(i, i + ROWS_PER_INSERT);
        const values = slice.map(
          (_, r) => `(${Array.from({ length: 13 }, (_, c) => `$${r * 13 + c + 1}`).join(', ')})`,
        );
        await client.query(
          `INSERT INTO ${this.schema}.audit_log (${auditColumns}) VALUES ${values.join(', ')}`,
          slice.flatMap(entryToParams),
        );
      }
      return entries;
    });
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

  verify(): Promise<VerifyResult> {
    return verifyChain(this.iterate());
  }

  close(): Promise<void> {
    return this.closeAll();
  }
}
