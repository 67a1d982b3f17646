/**
 * Group commit of the SQLite audit store: appends asked for in one event-loop turn share one
 * IMMEDIATE transaction (one fsync), each caller still gets exactly its own entries, and a bad
 * entry fails only its own caller. Real SQLite; the only instrument is a counter on commits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditAnchor } from '../../audit/anchor.js';
import { AuditInputError } from '../../audit/entry.js';
import { migrateSqlite } from '../../store/open-stores.js';
import { SqliteAuditStore } from '../../audit/sqlite-audit.js';
import type { AuditEntryInput } from '../../audit/types.js';

const entry = (i: number): AuditEntryInput => ({
  actor: { kind: 'bot', id: 'x.y' },
  event: 'step.completed',
  runId: 'r',
  itemKey: `item-${i}`,
  details: { i },
});

function openCounted(dir: string) {
  const db = new Database(join(dir, 'audit.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  migrateSqlite(db);
  const counter = { commits: 0 };
  const real = db.transaction.bind(db);
  db.transaction = ((fn: Parameters<typeof real>[0]) => {
    const tx = real(fn);
    // The store only calls .immediate(); a transaction's own properties are read-only.
    return { immediate: (...args: unknown[]) => (counter.commits++, tx.immediate(...(args as []))) };
  }) as typeof db.transaction;
  const anchor = new AuditAnchor({
    signingKeyFile: join(dir, 'audit-signing.key'),
    checkpointFile: join(dir, 'audit-checkpoints.jsonl'),
  });
  const store = new SqliteAuditStore(db, anchor, async () => void db.close());
  return { store, counter };
}

describe('SQLite audit group commit', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the appends of one turn in one transaction, each caller getting its own entries in order', async () => {
    dir = mkdtempSync(join(tmpdir(), 'avlasta-group-'));
    const { store, counter } = openCounted(dir);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => store.append([entry(i), entry(100 + i)])));
    expect(counter.commits).toBe(1);
    results.forEach((entries, i) => {
      expect(entries.map((e) => e.itemKey)).toEqual([`item-${i}`, `item-${100 + i}`]);
      expect(entries.map((e) => e.seq)).toEqual([2 * i + 1, 2 * i + 2]);
    });
    expect((await store.query({})).map((e) => e.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect((await store.verify()).ok).toBe(true);
    // The next turn is a transaction of its own.
    await store.append([entry(999)]);
    expect(counter.commits).toBe(2);
    await store.close();
  });

  it('fails only the caller whose entry is bad; the others are written and the chain holds', async () => {
    dir = mkdtempSync(join(tmpdir(), 'avlasta-group-'));
    const { store } = openCounted(dir);
    const bad = { actor: { kind: 'robot', id: 'x' }, event: 'step.completed' } as unknown as AuditEntryInput;
    const outcomes = await Promise.allSettled([
      store.append([entry(1)]),
      store.append([entry(2), bad]),
      store.append([entry(3)]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(AuditInputError);
    expect((await store.query({})).map((e) => e.itemKey)).toEqual(['item-1', 'item-3']);
    expect((await store.verify()).ok).toBe(true);
    await store.close();
  });

  it('writes appends still waiting for their turn when the store closes', async () => {
    dir = mkdtempSync(join(tmpdir(), 'avlasta-group-'));
    const { store } = openCounted(dir);
    const pending = store.append([entry(7)]);
    await store.close();
    await expect(pending).resolves.toHaveLength(1);
    const reopened = openCounted(dir).store;
    expect((await reopened.query({})).map((e) => e.itemKey)).toEqual(['item-7']);
    await reopened.close();
  });
});
