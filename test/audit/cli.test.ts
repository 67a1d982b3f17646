/** `avlasta audit verify|export`, run in-process through commander against a real SQLite store. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Command, CommanderError } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openStores, sqliteFile } from '../../store/open-stores.js';
import { registerAuditCommands } from '../../cli/commands/audit.js';
import type { AvlastaConfig } from '../../config.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'avlasta-cli-'));
  const stores = await openStores({ dataDir });
  await stores.audit.append([
    { actor: { kind: 'user', id: 'anna' }, event: 'run.started', runId: 'r1', automationId: 'invoice-check' },
    {
      actor: { kind: 'bot', id: 'case.create' },
      event: 'step.completed',
      runId: 'r1',
      automationId: 'invoice-check',
      details: { note: 'a, "b"' },
    },
    { actor: { kind: 'user', id: 'bo' }, event: 'run.started', runId: 'r2', automationId: 'other' },
  ]);
  await stores.close();
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

async function run(...args: string[]): Promise<{ out: string; err: string; exitCode: number }> {
  let out = '';
  let err = '';
  const program = new Command('avlasta')
    .exitOverride()
    .configureOutput({ writeOut: (s) => void (out += s), writeErr: (s) => void (err += s) });
  registerAuditCommands(program, async () => ({ config: { dataDir } as AvlastaConfig }));
  try {
    await program.parseAsync(args, { from: 'user' });
    return { out, err, exitCode: 0 };
  } catch (e) {
    if (e instanceof CommanderError) return { out, err, exitCode: e.exitCode };
    throw e;
  }
}

function tamper(sql: string): void {
  const db = new Database(sqliteFile(dataDir));
  db.exec(`DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; ${sql}`);
  db.close();
}

describe('avlasta audit verify', () => {
  it('reports an intact log with its length, last hash and signed checkpoint', async () => {
    const stores = await openStores({ dataDir });
    const [last] = await stores.audit.query({ fromSeq: 3 });
    await stores.close();
    const r = await run('audit', 'verify');
    expect(r).toMatchObject({ err: '', exitCode: 0 });
    expect(r.out).toMatch(
      new RegExp(`^audit log intact: 3 entries, last hash ${last.hash}, signed checkpoint at entry 3 \\(\\S+Z\\)\\n$`),
    );
  });

  it('says which entries are not yet anchored', async () => {
    const stores = await openStores({ dataDir });
    const entry = { actor: { kind: 'user' as const, id: 'anna' }, event: 'run.started' as const };
    await stores.audit.append([entry]); // this process's first commit: anchored at once
    await stores.audit.append([entry]); // the next checkpoint is not due yet
    try {
      expect((await run('audit', 'verify')).out).toMatch(
        /, signed checkpoint at entry 4 \(\S+\); entries 5 to 5 not yet anchored\n$/,
      );
    } finally {
      await stores.close();
    }
  });

  it('exits 1 naming the altered entry', async () => {
    tamper(`UPDATE audit_log SET actor_id = 'mallory' WHERE seq = 2`);
    const r = await run('audit', 'verify');
    expect(r.exitCode).toBe(1);
    expect(r.err).toBe('audit log BROKEN (altered) at entry 2: entry 2: hash mismatch (content altered)\n');
  });

  it('exits 1 naming a deleted entry', async () => {
    tamper('DELETE FROM audit_log WHERE seq = 2');
    expect((await run('audit', 'verify')).err).toMatch(
      /BROKEN \(gap\) at entry 2: entry 2 missing \(seq jumps from 1 to 3\)/,
    );
  });

  it('exits 1 when the end of the log was cut off', async () => {
    tamper('DELETE FROM audit_log WHERE seq = 3');
    const r = await run('audit', 'verify');
    expect(r.exitCode).toBe(1);
    expect(r.err).toMatch(
      /^audit log BROKEN \(truncated\) at entry 3: the log ends at entry 2, but a checkpoint of \S+ shows entry 3: entries 3 to 3 \(at least\) were removed\n$/,
    );
  });
});

describe('avlasta audit export', () => {
  it('writes JSON Lines to a file, filtered by run', async () => {
    const file = join(dataDir, 'r1.jsonl');
    const r = await run('audit', 'export', '--format', 'jsonl', '--output', file, '--run', 'r1');
    expect(r).toMatchObject({ exitCode: 0, err: `exported 2 audit entries to ${file}\n` });
    const lines = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.seq, l.runId])).toEqual([
      [1, 'r1'],
      [2, 'r1'],
    ]);
  });

  it('writes CSV to stdout, filtered by automation', async () => {
    let stdout = '';
    const spy = vi
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
    try {
      expect((await run('audit', 'export', '--format', 'csv', '--automation', 'invoice-check')).exitCode).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const lines = stdout.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'seq,at,actorKind,actorId,event,automationId,runId,itemKey,stepId,details,artifacts,prevHash,hash',
    );
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain(',"{""note"":""a, \\""b\\""""}",[],');
  });

  it('refuses an unknown format and a missing one', async () => {
    expect(await run('audit', 'export', '--format', 'xml')).toMatchObject({
      exitCode: 1,
      err: expect.stringMatching(/Allowed choices are jsonl, csv/),
    });
    expect(await run('audit', 'export')).toMatchObject({
      exitCode: 1,
      err: expect.stringMatching(/--format <format>' not specified/),
    });
  });

  it('names an output path it cannot write', async () => {
    const r = await run('audit', 'export', '--format', 'csv', '--output', join(dataDir, 'no', 'such', 'dir', 'x.csv'));
    expect(r).toMatchObject({
      exitCode: 1,
      err: expect.stringMatching(/^avlasta: cannot write .*no\/such\/dir\/x.csv: ENOENT/),
    });
  });
});
