/**
 * Test harnesses for the two real engines. Each harness is one fresh database (a temp dir for
 * SQLite, a random schema for PostgreSQL) plus raw access that bypasses the store, so tests can
 * tamper with rows the way an attacker with database access would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { migrateSqlite, openStores, sqliteFile, type OpenStoresOptions } from '../../store/open-stores.js';
import type { Stores } from '../../store/types.js';

export const TEST_PG_URL = process.env.AVLASTA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface EngineHarness {
  engine: 'sqlite' | 'postgres';
  options: OpenStoresOptions;
  /** A new connection to this harness's database; closed by dispose(). */
  open(): Promise<Stores>;
  /** Rewrites an entry's stored details, bypassing the append-only triggers. */
  alterDetails(seq: number, detailsJson: string): Promise<void>;
  /** Deletes an entry, bypassing the append-only triggers. */
  deleteEntry(seq: number): Promise<void>;
  /** Plain UPDATE / DELETE with the triggers in place (expected to be refused). */
  tryUpdate(seq: number): Promise<void>;
  tryDelete(seq: number): Promise<void>;
  dispose(): Promise<void>;
}

export type HarnessFactory = () => Promise<EngineHarness>;

function tracked(options: OpenStoresOptions) {
  const opened: Stores[] = [];
  return {
    open: async () => {
      const s = await openStores(options);
      opened.push(s);
      return s;
    },
    closeAll: () => Promise.all(opened.map((s) => s.close())),
  };
}

export function sqliteHarness(): HarnessFactory {
  return async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'avlasta-store-'));
    const options = { dataDir };
    const stores = tracked(options);
    let raw: Database.Database | undefined;
    const db = () => (raw ??= new Database(sqliteFile(dataDir), { timeout: 15_000 }));
    const bypassing = (sql: string, ...params: unknown[]) => {
      db().exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
      db()
        .prepare(sql)
        .run(...params);
      migrateSqlite(db()); // puts the triggers back
    };
    return {
      engine: 'sqlite',
      options,
      open: stores.open,
      alterDetails: async (seq, json) => bypassing('UPDATE audit_log SET details = ? WHERE seq = ?', json, seq),
      deleteEntry: async (seq) => bypassing('DELETE FROM audit_log WHERE seq = ?', seq),
      tryUpdate: async (seq) => void db().prepare("UPDATE audit_log SET details = '{}' WHERE seq = ?").run(seq),
      tryDelete: async (seq) => void db().prepare('DELETE FROM audit_log WHERE seq = ?').run(seq),
      dispose: async () => {
        await stores.closeAll();
        raw?.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  };
}

/** One random schema prefix per test file; each harness gets its own schema under it. */
export function postgresHarness(): { factory: HarnessFactory; dropAll: () => Promise<void> } {
  const prefix = `avl_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  let n = 0;
  const factory: HarnessFactory = async () => {
    const schemaName = `${prefix}_${++n}`;
    // The signing key and the checkpoint file live in a data dir of its own, as in production.
    const dataDir = mkdtempSync(join(tmpdir(), 'avlasta-pg-'));
    const options = { databaseUrl: TEST_PG_URL, dataDir, schema: schemaName };
    const stores = tracked(options);
    const client = new pg.Client({ connectionString: TEST_PG_URL });
    await client.connect();
    const table = `"${schemaName}".audit_log`;
    const bypassing = async (sql: string, params: unknown[]) => {
      await client.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
      try {
        await client.query(sql, params);
      } finally {
        // As the migration leaves them: enabled ALWAYS, so replica sessions cannot skip them.
        await client.query(
          `ALTER TABLE ${table} ENABLE ALWAYS TRIGGER audit_log_no_change, ENABLE ALWAYS TRIGGER audit_log_no_truncate`,
        );
      }
    };
    return {
      engine: 'postgres',
      options,
      open: stores.open,
      alterDetails: (seq, json) => bypassing(`UPDATE ${table} SET details = $1 WHERE seq = $2`, [json, seq]),
      deleteEntry: (seq) => bypassing(`DELETE FROM ${table} WHERE seq = $1`, [seq]),
      tryUpdate: async (seq) => void (await client.query(`UPDATE ${table} SET details = '{}' WHERE seq = $1`, [seq])),
      tryDelete: async (seq) => void (await client.query(`DELETE FROM ${table} WHERE seq = $1`, [seq])),
      dispose: async () => {
        await stores.closeAll();
        await client.query(`DROP SCHEMA IF EXISTS "${schemaName}" CASCADE`);
        await client.end();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  };
  const dropAll = async () => {
    const client = new pg.Client({ connectionString: TEST_PG_URL });
    await client.connect();
    const res = await client.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [
      `${prefix}%`,
    ]);
    for (const r of res.rows) await client.query(`DROP SCHEMA IF EXISTS "${r.nspname}" CASCADE`);
    await client.end();
  };
  return { factory, dropAll };
}
