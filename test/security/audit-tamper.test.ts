/**
 * §2 The tamper suite: everything someone with access to the database might try against the audit
 * log, on SQLite and on PostgreSQL. Each attempt is either refused by the database or named by
 * verify with the first entry that cannot be trusted.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { auditColumns, entryToParams, rowToEntry, type AuditRow } from '../../audit/entry.js';
import { hashEntry } from '../../audit/hash.js';
import type { AuditEntryInput } from '../../audit/types.js';
import { sqliteFile } from '../../store/open-stores.js';
import type { Stores } from '../../store/types.js';
import { postgresHarness, sqliteHarness, TEST_PG_URL, type EngineHarness } from '../audit/engines.js';

/** Raw access to the database, as an attacker with its credentials has. SQL uses ? placeholders. */
interface Attacker {
  table: string;
  checkpoints: string;
  run(sql: string, ...params: unknown[]): Promise<void>;
  /** Runs with the append-only triggers out of the way (dropped or disabled), then puts them back. */
  bypassing(sql: string, ...params: unknown[]): Promise<void>;
  /** Drops (SQLite) or disables (PostgreSQL) the triggers and leaves them so. */
  dropTriggers(): Promise<void>;
  rows(): Promise<AuditRow[]>;
  close(): Promise<void>;
}

function sqliteAttacker(h: EngineHarness): Attacker {
  const db = new Database(sqliteFile(h.options.dataDir), { timeout: 15_000 });
  const triggers = () =>
    db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all() as { name: string; sql: string }[];
  const run = async (sql: string, ...params: unknown[]) => void db.prepare(sql).run(...params);
  return {
    table: 'audit_log',
    checkpoints: 'audit_checkpoints',
    run,
    async bypassing(sql, ...params) {
      const saved = triggers();
      for (const t of saved) db.exec(`DROP TRIGGER ${t.name}`);
      try {
        await run(sql, ...params);
      } finally {
        for (const t of saved) db.exec(t.sql);
      }
    },
    async dropTriggers() {
      for (const t of triggers()) db.exec(`DROP TRIGGER ${t.name}`);
    },
    rows: async () => db.prepare(`SELECT ${auditColumns} FROM audit_log ORDER BY seq`).all() as AuditRow[],
    close: async () => void db.close(),
  };
}

async function postgresAttacker(h: EngineHarness): Promise<Attacker> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  const s = `"${h.options.schema}"`;
  const numbered = (sql: string) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  const run = async (sql: string, ...params: unknown[]) => void (await client.query(numbered(sql), params));
  const tables = [`${s}.audit_log`, `${s}.audit_checkpoints`];
  const always = (t: string) =>
    client.query(
      `ALTER TABLE ${t} ENABLE ALWAYS TRIGGER ${t.split('.')[1]}_no_change, ENABLE ALWAYS TRIGGER ${t.split('.')[1]}_no_truncate`,
    );
  return {
    table: `${s}.audit_log`,
    checkpoints: `${s}.audit_checkpoints`,
    run,
    async bypassing(sql, ...params) {
      for (const t of tables) await client.query(`ALTER TABLE ${t} DISABLE TRIGGER USER`);
      try {
        await run(sql, ...params);
      } finally {
        for (const t of tables) await always(t);
      }
    },
    async dropTriggers() {
      for (const t of tables) await client.query(`ALTER TABLE ${t} DISABLE TRIGGER USER`);
    },
    rows: async () => (await client.query<AuditRow>(`SELECT ${auditColumns} FROM ${s}.audit_log ORDER BY seq`)).rows,
    close: () => client.end(),
  };
}

const entry = (i: number): AuditEntryInput => ({
  actor: { kind: 'user', id: 'anna' },
  event: 'approval.decided',
  runId: 'run.attest.1',
  itemKey: `F-${i}`,
  details: { decision: 'approved', amount: 1000 * i },
});

const pg_ = postgresHarness();
afterAll(() => pg_.dropAll());

for (const [engine, factory] of [
  ['SQLite', sqliteHarness()],
  ['PostgreSQL', pg_.factory],
] as const) {
  describe(`tampering with the audit log on ${engine}`, () => {
    let h: EngineHarness;
    let attacker: Attacker;
    let open: Stores[] = [];

    /** Ten entries in two commits, then the store closes: checkpoints of entries 5 and 10. */
    async function logOfTen(): Promise<void> {
      h = await factory();
      const stores = await h.open();
      await stores.audit.append([1, 2, 3, 4, 5].map(entry));
      await stores.audit.append([6, 7, 8, 9, 10].map(entry));
      await stores.close();
      attacker = engine === 'SQLite' ? sqliteAttacker(h) : await postgresAttacker(h);
    }
    const verify = async () => {
      const stores = await h.open();
      open.push(stores);
      return stores.audit.verify();
    };
    afterEach(async () => {
      await attacker?.close();
      await Promise.all(open.map((s) => s.close()));
      open = [];
      await h?.dispose();
    });

    it('is intact before anyone touches it, anchored at its last entry', async () => {
      await logOfTen();
      expect(await verify()).toMatchObject({ ok: true, entries: 10, checkpoint: { seq: 10 } });
    });

    it('refuses UPDATE, DELETE and an insert over an existing entry', async () => {
      await logOfTen();
      const t = attacker.table;
      await expect(attacker.run(`UPDATE ${t} SET actor_id = 'mallory' WHERE seq = 3`)).rejects.toThrow(/append-only/);
      await expect(attacker.run(`DELETE FROM ${t} WHERE seq > 7`)).rejects.toThrow(/append-only/);
      const [row] = (await attacker.rows()).filter((r) => Number(r.seq) === 3);
      const forged = { ...row, actor_id: 'mallory' };
      const columns = auditColumns.split(', ');
      const values = columns.map((c) => forged[c as keyof AuditRow]);
      const replace =
        engine === 'SQLite'
          ? `INSERT OR REPLACE INTO ${t} (${auditColumns}) VALUES (${columns.map(() => '?').join(', ')})`
          : `INSERT INTO ${t} (${auditColumns}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT (seq) DO UPDATE SET actor_id = EXCLUDED.actor_id`;
      await expect(attacker.run(replace, ...values)).rejects.toThrow(/append-only/);
      if (engine === 'PostgreSQL') {
        await expect(attacker.run(`TRUNCATE ${t}`)).rejects.toThrow(/append-only/);
        // A replica session skips ordinary triggers; these are enabled ALWAYS.
        await attacker.run('SET session_replication_role = replica');
        await expect(attacker.run(`DELETE FROM ${t} WHERE seq > 7`)).rejects.toThrow(/append-only/);
        await attacker.run('SET session_replication_role = DEFAULT');
      }
      expect(await verify()).toMatchObject({ ok: true, entries: 10 });
    });

    it('names an entry altered behind the triggers', async () => {
      await logOfTen();
      await attacker.bypassing(`UPDATE ${attacker.table} SET actor_id = 'mallory' WHERE seq = 4`);
      expect(await verify()).toMatchObject({ ok: false, kind: 'altered', firstBadSeq: 4 });
    });

    it('names an entry deleted behind the triggers', async () => {
      await logOfTen();
      await attacker.bypassing(`DELETE FROM ${attacker.table} WHERE seq = 4`);
      expect(await verify()).toMatchObject({ ok: false, kind: 'gap', firstBadSeq: 4 });
    });

    it('sees the log rewritten from a forged entry on, every later hash recomputed', async () => {
      await logOfTen();
      const rows = (await attacker.rows()).map(rowToEntry);
      let prevHash = rows[6].prevHash;
      for (const e of rows.slice(6)) {
        if (e.seq === 7) e.details = { decision: 'rejected', amount: 7000 };
        e.prevHash = prevHash;
        e.hash = hashEntry(e);
        prevHash = e.hash;
        const [, ...rest] = entryToParams(e);
        const columns = auditColumns.split(', ').slice(1);
        await attacker.bypassing(
          `UPDATE ${attacker.table} SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE seq = ?`,
          ...rest,
          e.seq,
        );
      }
      const result = await verify();
      expect(result).toMatchObject({ ok: false, kind: 'rewritten', firstBadSeq: 6 });
      expect(result.ok === false && result.firstBadSeq! <= 7).toBe(true);
    });

    it('sees the tail cut off, with the checkpoints in the database removed too', async () => {
      await logOfTen();
      await attacker.bypassing(`DELETE FROM ${attacker.table} WHERE seq > 7`);
      expect(await verify()).toMatchObject({ ok: false, kind: 'truncated', firstBadSeq: 8, entries: 7 });
      await attacker.bypassing(`DELETE FROM ${attacker.checkpoints} WHERE seq > 7`);
      // The checkpoint file outside the database still holds entry 10.
      expect(await verify()).toMatchObject({ ok: false, kind: 'truncated', firstBadSeq: 8 });
    });

    it('sees a log emptied completely', async () => {
      await logOfTen();
      await attacker.bypassing(`DELETE FROM ${attacker.table}`);
      expect(await verify()).toMatchObject({ ok: false, kind: 'truncated', firstBadSeq: 1, entries: 0 });
    });

    it('refuses a checkpoint not signed by the log key', async () => {
      await logOfTen();
      await attacker.bypassing(`DELETE FROM ${attacker.table} WHERE seq > 7`);
      const [seven] = (await attacker.rows()).filter((r) => Number(r.seq) === 7);
      await attacker.run(
        `INSERT INTO ${attacker.checkpoints} (seq, hash, at, signature) VALUES (?, ?, ?, ?)`,
        7,
        seven.hash,
        new Date().toISOString(),
        Buffer.alloc(64, 1).toString('base64'),
      );
      expect(await verify()).toMatchObject({ ok: false, kind: 'forged-checkpoint', firstBadSeq: 7 });
    });

    it('says nothing proves the log complete when every checkpoint is gone', async () => {
      await logOfTen();
      await attacker.bypassing(`DELETE FROM ${attacker.checkpoints}`);
      const checkpointFile = join(
        h.options.dataDir,
        engine === 'SQLite' ? 'audit-checkpoints.jsonl' : `audit-checkpoints-${h.options.schema}.jsonl`,
      );
      rmSync(checkpointFile);
      expect(await verify()).toMatchObject({ ok: false, kind: 'unanchored' });
    });

    it('sees its triggers dropped or disabled', async () => {
      await logOfTen();
      const stores = await h.open();
      open.push(stores);
      await attacker.dropTriggers();
      expect(await stores.audit.verify()).toMatchObject({ ok: false, kind: 'unguarded' });
    });
  });
}
