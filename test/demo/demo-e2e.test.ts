/**
 * The main job, unattended, on a sample: both demo automations through the real stack (Temporal
 * dev server, Redis, Chromium, the demo systems with trouble on), then the demo systems' own
 * databases are checked: every valid row registered exactly once, flagged rows approved as
 * instructed, malformed rows reported, the audit chain intact.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { installQuietRuntime } from '../../temporal/worker.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { runDemo, type DemoResult } from '../../demo/launch/run-demo.js';

const SAMPLE = 30;
let result: DemoResult;
let dataDir: string;
let again: () => Promise<DemoResult>;

beforeAll(async () => {
  installQuietRuntime();
  dataDir = mkdtempSync(join(tmpdir(), 'avlasta-demo-'));
  const config = loadConfig({
    ...process.env,
    AVLASTA_DATA_DIR: dataDir,
    AVLASTA_TASK_QUEUE: `demo-e2e-${randomUUID().slice(0, 8)}`,
  });
  const lines: string[] = [];
  const unique = randomUUID().slice(0, 8);
  const options = {
    config,
    runKeySuffix: `-${unique}`,
    approveAllAs: 'demo-approver',
    sample: SAMPLE,
    ports: { ekonomi: 0, arende: 0 },
    inboxPort: 0,
    queuePrefix: `demo-e2e-${unique}`,
    print: (l: string) => lines.push(l),
  };
  result = await runDemo(options);
  again = () => runDemo(options);
  writeFileSync(join(dataDir, 'demo-output.txt'), lines.join('\n'));
}, 600_000);

describe('npm start --approve-all-as demo-approver (sample)', () => {
  it('finishes both runs with every row accounted for', () => {
    expect(result.interrupted).toBe(false);
    for (const run of result.runs) {
      const s = run.summary!;
      expect(s.status, run.automationId).toBe('done');
      expect(s.counts.loaded + s.counts.invalid + s.counts.skipped, run.automationId).toBe(SAMPLE);
      expect(s.counts.done + s.counts.rejected + s.counts.failed, run.automationId).toBe(s.counts.loaded);
      expect(s.counts.invalid, `${run.automationId} has malformed rows in its first ${SAMPLE}`).toBeGreaterThan(0);
      expect(s.rejectedRows.every((r) => r.row > 1 && r.reason.length > 0)).toBe(true);
      expect(s.counts.flagged, `${run.automationId} flags some rows`).toBeGreaterThan(0);
      expect(s.counts.approved, 'flagged items approved as instructed').toBe(s.counts.flagged);
      // The summary npm start prints names each failed item and why (the first 20).
      expect(run.failed?.items.length, run.automationId).toBe(Math.min(20, s.counts.failed));
      expect(run.failed?.items.every((i) => i.outcome === 'failed' && (i.reason ?? '').length > 0)).toBe(true);
    }
  });

  it('registered every completed invoice exactly once in Ekonomisystemet', () => {
    const run = result.runs.find((r) => r.automationId === 'supplier-invoices')!;
    const db = new Database(result.dbFiles.ekonomi, { readonly: true });
    const dupes = db
      .prepare('SELECT invoice_number, COUNT(*) n FROM invoices GROUP BY supplier_orgnr, invoice_number HAVING n > 1')
      .all();
    const total = (db.prepare('SELECT COUNT(*) n FROM invoices').get() as { n: number }).n;
    db.close();
    expect(dupes).toEqual([]);
    expect(total).toBe(run.summary!.counts.done);
  });

  it('registered every completed case exactly once in Ärendesystemet', () => {
    const run = result.runs.find((r) => r.automationId === 'case-registration')!;
    const db = new Database(result.dbFiles.arende, { readonly: true });
    const dupes = db.prepare('SELECT external_ref, COUNT(*) n FROM cases GROUP BY external_ref HAVING n > 1').all();
    const total = (db.prepare('SELECT COUNT(*) n FROM cases').get() as { n: number }).n;
    db.close();
    expect(dupes).toEqual([]);
    expect(total).toBe(run.summary!.counts.done);
  });

  it('leaves an intact audit chain', () => {
    expect(result.audit).toMatchObject({ ok: true });
  });

  it('a second start registers nothing twice: finished runs start fresh and skip completed items', async () => {
    const count = (file: string, table: string) => {
      const db = new Database(file, { readonly: true });
      const n = (db.prepare(`SELECT COUNT(*) n FROM ${table}`).get() as { n: number }).n;
      db.close();
      return n;
    };
    const before = {
      invoices: count(result.dbFiles.ekonomi, 'invoices'),
      cases: count(result.dbFiles.arende, 'cases'),
    };
    const second = await again();
    for (const run of second.runs) {
      const first = result.runs.find((r) => r.automationId === run.automationId)!;
      expect(run.workflowId).not.toBe(first.workflowId);
      expect(run.summary!.counts.skipped).toBe(first.summary!.counts.done + first.summary!.counts.rejected);
    }
    // Only items that failed the first time are tried again; whatever they add is added once.
    const done = (id: string) => second.runs.find((r) => r.automationId === id)!.summary!.counts.done;
    expect({
      invoices: count(result.dbFiles.ekonomi, 'invoices'),
      cases: count(result.dbFiles.arende, 'cases'),
    }).toEqual({
      invoices: before.invoices + done('supplier-invoices'),
      cases: before.cases + done('case-registration'),
    });
    expect(second.audit).toMatchObject({ ok: true });
  }, 300_000);
});
