/**
 * Opens the audit log and the state store on one database: PostgreSQL when a URL is given,
 * otherwise SQLite at <dataDir>/avlasta.db. Tables are created if missing, under a lock, so two
 * processes starting at once do not trip over each other (PostgreSQL: see postgres-migrate.ts for
 * the production way, a separate owner role). The audit log is anchored by signed checkpoints
 * (audit/anchor.ts) whose key and append-only file live outside the database, in the data dir
 * unless configured elsewhere. The data dir itself is made owner-only (data-dir.ts).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { protectDataDir } from './data-dir.js';
import { PostgresLoginThrottle, SqliteLoginThrottle, sqliteThrottleDdl } from './login-throttle.js';
import { checkIdentifier, migratePostgres, schemaReady } from './postgres-migrate.js';
import { PostgresApprovalStore, PostgresItemLedger } from './postgres-store.js';
import { SqliteApprovalStore, SqliteItemLedger, sqliteStoreDdl } from './sqlite-store.js';
import { SqliteNoticeState, SqliteStats, sqliteMonitoringDdl } from './sqlite-monitoring.js';
import { PostgresNoticeState, PostgresStats } from './postgres-monitoring.js';
import { PostgresRunItems } from './postgres-run-items.js';
import { SqliteRunItems, sqliteRunItemsDdl } from './sqlite-run-items.js';
import type { Stores } from './types.js';
import { AuditAnchor, type AnchorOptions } from '../audit/anchor.js';
import { PostgresAuditStore } from '../audit/postgres-audit.js';
import { timedAudit } from '../metrics/timed-audit.js';
import { SqliteAuditStore, sqliteAuditDdl } from '../audit/sqlite-audit.js';

/** A subset of AvlastaConfig: callers pass their configuration as it is. */
export interface OpenStoresOptions {
  /** postgres://… ; SQLite under dataDir when absent. */
  databaseUrl?: string;
  dataDir: string;
  /** PostgreSQL schema. @defaultValue 'avlasta' */
  schema?: string;
  /** The audit log's Ed25519 signing key (PEM). @defaultValue <dataDir>/audit-signing.key */
  auditSigningKeyFile?: string;
  /**
   * Where signed checkpoints are appended. @defaultValue <dataDir>/audit-checkpoints.jsonl
   * (SQLite), <dataDir>/audit-checkpoints-<schema>.jsonl (PostgreSQL)
   */
  auditCheckpointFile?: string;
  /** Checkpoint every this many entries (tests use small numbers). @defaultValue 1000 */
  auditCheckpointEvery?: number;
}

export class StoreOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreOpenError';
  }
}

export async function openStores(opts: OpenStoresOptions): Promise<Stores> {
  protectDataDir(opts.dataDir);
  const schema = opts.schema ?? 'avlasta';
  const anchorOptions: AnchorOptions = {
    signingKeyFile: opts.auditSigningKeyFile ?? join(opts.dataDir, 'audit-signing.key'),
    checkpointFile:
      opts.auditCheckpointFile ??
      join(opts.dataDir, opts.databaseUrl ? `audit-checkpoints-${schema}.jsonl` : 'audit-checkpoints.jsonl'),
    every: opts.auditCheckpointEvery,
  };
  return opts.databaseUrl
    ? openPostgres(opts.databaseUrl, schema, anchorOptions)
    : openSqlite(opts.dataDir, anchorOptions);
}

export function sqliteFile(dataDir: string): string {
  return join(dataDir, 'avlasta.db');
}

/** Runs the SQLite DDL; exported so tests can restore triggers they dropped on purpose. */
export function migrateSqlite(db: Database.Database): void {
  db.transaction(() =>
    db.exec(sqliteAuditDdl + sqliteStoreDdl + sqliteThrottleDdl + sqliteMonitoringDdl + sqliteRunItemsDdl),
  ).immediate();
}

function openSqlite(dataDir: string, anchorOptions: AnchorOptions): Stores {
  const file = sqliteFile(dataDir);
  let db: Database.Database;
  let anchor: AuditAnchor;
  try {
    anchor = new AuditAnchor(anchorOptions);
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
  const audit = new SqliteAuditStore(db, anchor, close);
  // Closing through the audit store writes appends still waiting for their group commit.
  return {
    audit: timedAudit(audit),
    approvals: new SqliteApprovalStore(db),
    ledger: new SqliteItemLedger(db),
    loginThrottle: new SqliteLoginThrottle(db),
    notices: new SqliteNoticeState(db),
    stats: new SqliteStats(db),
    runItems: new SqliteRunItems(db),
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

async function openPostgres(url: string, schemaName: string, anchorOptions: AnchorOptions): Promise<Stores> {
  let schema: string;
  try {
    schema = checkIdentifier('schema', schemaName);
  } catch (err) {
    throw new StoreOpenError((err as Error).message);
  }
  const pool = new pg.Pool({ connectionString: url, max: 5 });
  // An idle connection dropped by the server emits 'error' on the pool; without a listener Node
  // would crash. The next query fails with its own clear error instead.
  pool.on('error', () => undefined);
  let anchor: AuditAnchor;
  try {
    anchor = new AuditAnchor(anchorOptions);
    if (!(await schemaReady(pool, schemaName))) await migratePostgres(pool, schemaName);
  } catch (err) {
    await pool.end().catch(() => undefined);
    const denied = (err as { code?: string }).code === '42501';
    throw new StoreOpenError(
      `cannot open the PostgreSQL store ${redactUrl(url)} (schema ${schemaName}): ${(err as Error).message}${
        denied ? ' (run `avlasta db migrate --grant-to <this role>` as the schema owner first)' : ''
      }`,
    );
  }
  let closed: Promise<void> | undefined;
  const close = () => (closed ??= pool.end());
  const audit = new PostgresAuditStore(pool, schema, anchor, close);
  return {
    audit: timedAudit(audit),
    approvals: new PostgresApprovalStore(pool, schema),
    ledger: new PostgresItemLedger(pool, schema),
    loginThrottle: new PostgresLoginThrottle(pool, schema),
    notices: new PostgresNoticeState(pool, schema),
    stats: new PostgresStats(pool, schema),
    runItems: new PostgresRunItems(pool, schema),
    // Closing through the audit store writes the last checkpoint of what this process appended.
    close: () => audit.close(),
  };
}
