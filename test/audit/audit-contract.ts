/**
 * The AuditStore contract, run against every engine (sqlite.test.ts, postgres.test.ts).
 * Each test gets a fresh database from the factory and disposes it afterwards.
 */
import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditInputError } from '../../audit/entry.js';
import { exportAudit } from '../../audit/export.js';
import { GENESIS_HASH, hashEntry } from '../../audit/hash.js';
import type { AuditEntry, AuditEntryInput } from '../../audit/types.js';
import type { EngineHarness, HarnessFactory } from './engines.js';

const bot = { kind: 'bot' as const, id: 'case-system.create-case' };
const entry = (i: number, extra: Partial<AuditEntryInput> = {}): AuditEntryInput => ({
  actor: bot,
  event: 'step.completed',
  automationId: 'auto-a',
  runId: `run-${i % 2}`,
  itemKey: `item-${i}`,
  stepId: 'create',
  details: { i },
  ...extra,
});

async function collect(it: AsyncIterable<AuditEntry>): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for await (const e of it) out.push(e);
  return out;
}

function runWorkers(h: EngineHarness, workers: number, appends: number): Promise<void> {
  const procs = Array.from({ length: workers }, (_, w) =>
    spawn(
      process.execPath,
      ['--import', 'tsx', 'test/audit/append-worker.ts', JSON.stringify(h.options), String(appends), `worker-${w}`],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    ),
  );
  const waitFor = (p: (typeof procs)[number], word: string) =>
    new Promise<void>((resolve, reject) => {
      let seen = '';
      p.stdout.on('data', (d: Buffer) => ((seen += d.toString()), seen.includes(word) && resolve()));
      p.on('exit', (code) =>
        code === 0 && seen.includes(word)
          ? resolve()
          : reject(new Error(`append worker exited ${code} before "${word}"`)),
      );
    });
  return (async () => {
    await Promise.all(procs.map((p) => waitFor(p, 'ready')));
    for (const p of procs) p.stdin.end('go\n');
    await Promise.all(procs.map((p) => waitFor(p, 'done')));
  })();
}

export function defineAuditContract(engine: string, factory: HarnessFactory): void {
  describe(`AuditStore on ${engine}`, () => {
    let h: EngineHarness;
    const fresh = async () => ((h = await factory()), h.open());
    afterEach(async () => h?.dispose());

    it('appends in order with seq, a hash chain from genesis and "" / {} / [] for absent fields', async () => {
      const { audit } = await fresh();
      const at = new Date('2025-03-01T08:00:00.123Z');
      const first = await audit.append([
        entry(1, { at, artifacts: ['shots/1.png'] }),
        { actor: { kind: 'system', id: 'scheduler' }, event: 'run.started' },
      ]);
      const [second] = await audit.append([entry(2)]);
      expect(first.map((e) => e.seq)).toEqual([1, 2]);
      expect(second.seq).toBe(3);
      expect(first[0]).toMatchObject({
        at: '2025-03-01T08:00:00.123Z',
        prevHash: GENESIS_HASH,
        artifacts: ['shots/1.png'],
      });
      expect(first[1]).toMatchObject({
        automationId: '',
        runId: '',
        itemKey: '',
        stepId: '',
        details: {},
        artifacts: [],
        prevHash: first[0].hash,
      });
      expect(second.prevHash).toBe(first[1].hash);
      for (const e of [...first, second]) expect(hashEntry(e)).toBe(e.hash);
      expect(await audit.query({})).toEqual([...first, second]);
    });

    it('queries by run, automation, item, fromSeq and limit', async () => {
      const { audit } = await fresh();
      await audit.append([1, 2, 3, 4, 5].map((i) => entry(i)));
      await audit.append([entry(6, { automationId: 'auto-b' })]);
      expect((await audit.query({ runId: 'run-1' })).map((e) => e.itemKey)).toEqual(['item-1', 'item-3', 'item-5']);
      expect((await audit.query({ automationId: 'auto-b' })).map((e) => e.seq)).toEqual([6]);
      expect((await audit.query({ itemKey: 'item-4' })).map((e) => e.seq)).toEqual([4]);
      expect((await audit.query({ fromSeq: 3, limit: 2 })).map((e) => e.seq)).toEqual([3, 4]);
    });

    it('refuses a bad batch as a whole, naming the entry', async () => {
      const { audit } = await fresh();
      const bad = { actor: { kind: 'robot', id: 'x' }, event: 'step.completed' } as unknown as AuditEntryInput;
      await expect(audit.append([entry(1), bad])).rejects.toThrow(AuditInputError);
      await expect(audit.append([entry(1), bad])).rejects.toThrow(/audit entry 1 of 2: actor.kind/);
      expect(await audit.query({})).toEqual([]);
    });

    it('continues one chain across connections, and verifies an empty log', async () => {
      const a = await fresh();
      expect(await a.audit.verify()).toEqual({ ok: true, entries: 0, lastHash: GENESIS_HASH });
      const [e1] = await a.audit.append([entry(1)]);
      const b = await h.open();
      const [e2] = await b.audit.append([entry(2)]);
      expect(e2).toMatchObject({ seq: 2, prevHash: e1.hash });
      expect(await a.audit.verify()).toMatchObject({ ok: true, entries: 2, lastHash: e2.hash });
    });

    it('keeps the chain linear when several processes append at once', async () => {
      h = await factory(); // the workers also race to create the tables
      await runWorkers(h, 3, 30);
      const { audit } = await h.open();
      const all = await collect(audit.iterate());
      expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 135 }, (_, i) => i + 1));
      for (let i = 1; i < all.length; i++) expect(all[i].prevHash).toBe(all[i - 1].hash);
      for (const w of [0, 1, 2]) expect(all.filter((e) => e.actor.id === `worker-${w}`)).toHaveLength(45);
      // A two-entry batch lands contiguously.
      for (let i = 0; i < all.length; i++)
        if (all[i].details.batchSize === 2 && all[i].details.j === 0) expect(all[i + 1].actor.id).toBe(all[i].actor.id);
      expect(await audit.verify()).toMatchObject({ ok: true, entries: 135 });
    }, 90_000);

    it('iterates in pages across page boundaries', async () => {
      const { audit } = await fresh();
      await audit.append(Array.from({ length: 2500 }, (_, i) => entry(i)));
      const all = await collect(audit.iterate());
      expect(all).toHaveLength(2500);
      expect(all.every((e, i) => e.seq === i + 1)).toBe(true);
      expect((await collect(audit.iterate(2400))).map((e) => e.seq)).toEqual(
        Array.from({ length: 101 }, (_, i) => 2400 + i),
      );
      expect(await audit.verify()).toMatchObject({ ok: true, entries: 2500 });
    });

    it('detects altered content and names the entry', async () => {
      const { audit } = await fresh();
      await audit.append([1, 2, 3, 4].map((i) => entry(i)));
      await h.alterDetails(3, JSON.stringify({ i: 3, amount: 999999 }));
      expect(await audit.verify()).toEqual({
        ok: false,
        kind: 'altered',
        entries: 2,
        firstBadSeq: 3,
        problem: 'entry 3: hash mismatch (content altered)',
      });
    });

    it('detects a deleted middle entry as missing', async () => {
      const { audit } = await fresh();
      await audit.append([1, 2, 3, 4].map((i) => entry(i)));
      await h.deleteEntry(3);
      expect(await audit.verify()).toEqual({
        ok: false,
        kind: 'gap',
        entries: 2,
        firstBadSeq: 3,
        problem: 'entry 3 missing (seq jumps from 2 to 4)',
      });
    });

    it('refuses UPDATE and DELETE through its triggers', async () => {
      const { audit } = await fresh();
      await audit.append([1, 2].map((i) => entry(i)));
      await expect(h.tryUpdate(1)).rejects.toThrow(/append-only/);
      await expect(h.tryDelete(2)).rejects.toThrow(/append-only/);
      expect(await audit.verify()).toMatchObject({ ok: true, entries: 2 });
    });

    it('exports JSON Lines and CSV with quoting, optionally filtered', async () => {
      const { audit } = await fresh();
      const tricky = { note: 'says "hi", then\nleaves', pnr: '19811218-****' };
      await audit.append([entry(1, { details: tricky, artifacts: ['a.png', 'b,c.png'] }), entry(2), entry(3)]);
      const stored = await audit.query({});
      const capture = async (format: 'jsonl' | 'csv', filter = {}) => {
        const out = new PassThrough();
        const chunks: Buffer[] = [];
        out.on('data', (c: Buffer) => chunks.push(c));
        const n = await exportAudit(audit, format, out, filter);
        return { n, text: Buffer.concat(chunks).toString('utf8') };
      };
      const jsonl = await capture('jsonl');
      expect(jsonl.n).toBe(3);
      expect(
        jsonl.text
          .trimEnd()
          .split('\n')
          .map((l) => JSON.parse(l)),
      ).toEqual(stored);
      const csv = await capture('csv');
      const rows = parseCsv(csv.text, { columns: true }) as Record<string, string>[];
      expect(Object.keys(rows[0])).toEqual([
        'seq',
        'at',
        'actorKind',
        'actorId',
        'event',
        'automationId',
        'runId',
        'itemKey',
        'stepId',
        'details',
        'artifacts',
        'prevHash',
        'hash',
      ]);
      expect(rows).toHaveLength(3);
      expect(JSON.parse(rows[0].details)).toEqual(tricky);
      expect(JSON.parse(rows[0].artifacts)).toEqual(['a.png', 'b,c.png']);
      expect(rows.map((r) => r.hash)).toEqual(stored.map((e) => e.hash));
      const filtered = await capture('jsonl', { runId: 'run-1' });
      expect(
        filtered.text
          .trimEnd()
          .split('\n')
          .map((l) => JSON.parse(l).seq),
      ).toEqual([1, 3]);
    });
  });
}
