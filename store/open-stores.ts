/**
 * Opens the audit log and the state store on one database: PostgreSQL when a URL is given,
 * otherwise SQLite at <dataDir>/avlasta.db. Tables are created if missing, under a lock, so two
 * processes starting at once do not trip over each other.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { PostgresApprovalStore, PostgresItemLedger, postgresStoreDdl } from './postgres-store.js';
import { SqliteApprovalStore, SqliteItemLedger, sqliteStoreDdl } from './sqlite-store.js';
import { SqliteNoticeState, SqliteStats, sqliteMonitoringDdl } from './sqlite-monitoring.js';
import { PostgresNoticeState, PostgresStats, postgresMonitoringDdl } from './postgres-monitoring.js';
import type { Stores } from './types.js';
import { timedAudit } from '../metrics/timed-audit.js';
import { PostgresAuditStore, postgresAuditDdl } from '../audit/postgres-audit.js';
import { SqliteAuditStore, sqliteAuditDdl } from '../audit/sqlite-audit.js';

export interface OpenStoresOptions {
  /** postgres://… ; SQLite under dataDir when absent. */
  databaseUrl?: string;
  dataDir: string;
  /** PostgreSQL schema. @defaultValue 'avlasta' */
  schema?: string;
}

export class StoreOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreOpenError';
  }
}

export async function openStores(opts: OpenStoresOptions): Promise<Stores> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.schema ?? 'avlasta') : openSqlite(opts.dataDir);
}

export function sqliteFile(dataDir: string): string {
  return join(dataDir, 'avlasta.db');
}

/** Runs the SQLite DDL; exported so tests can restore triggers they dropped on purpose. */
export function migrateSqlite(db: Database.Database): void {
  db.transaction(() => db.exec(sqliteAuditDdl + sqliteStoreDdl + sqliteMonitoringDdl)).immediate();
}

function openSqlite(dataDir: string): Stores {
  const file = sqliteFile(dataDir);
  let db: Database.Database;
  try {
    mkdirSync(dataDir, { recursive: true });
    // Wait up to 15 s for another process's write lock instead of failing with SQLITE_BUSY.
    db = new Database(file, { timeout: 15_000 });
    db.pragma('journal_mode = WAL');
    // FULL: an entry whose append returned survives a power cut, not only a process crash.
    db.pragma('synchronous = FULL');
    migrateSqlite(db);
  } catch (err) {
    throw new StoreOpenError(`cannot open the SQLite store ${file}: ${(err as Error).message}`);
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    db.close();
  };
  const audit = new SqliteAuditStore(db, close);
  // Closing through the audit store writes appends still waiting for their group commit.
  return {
    audit: timedAudit(audit),
    approvals: new SqliteApprovalStore(db),
    ledger: new SqliteItemLedger(db),
    notices: new SqliteNoticeState(db),
    stats: new SqliteStats(db),
    close: () => audit.close(),
  };
}

/** The URL without its password, for error messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable database URL)';
  }
}

async function openPostgres(url: string, schemaName: string): Promise<Stores> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schemaName)) {
    throw new StoreOpenError(`PostgreSQL schema "${schemaName}" must be lower-case letters, digits and _ (at most 63)`);
  }
  const schema = `"${schemaName}"`;
  const pool = new pg.Pool({ connectionString: url, max: 5 });
  // An idle connection dropped by the server emits 'error' on the pool; without a listener Node
  // would crash. The next query fails with its own clear error instead.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`avlasta.migrate.${schemaName}`]);
      await client.query(
        `CREATE SCHEMA IF NOT EXISTS ${schema};${postgresAuditDdl(schema)}${postgresStoreDdl(schema)}${postgresMonitoringDdl(schema)}`,
      );
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new StoreOpenError(
      `cannot open the PostgreSQL store ${redactUrl(url)} (schema ${schemaName}): ${(err as Error).message}`,
    );
  }
  let closed: Promise<void> | undefined;
  const close = () => (closed ??= pool.end());
  return {
    audit: timedAudit(new PostgresAuditStore(pool, schema, close)),
    approvals: new PostgresApprovalStore(pool, schema),
    ledger: new PostgresItemLedger(pool, schema),
    notices: new PostgresNoticeState(pool, schema),
    stats: new PostgresStats(pool, schema),
    close,
  };
}
