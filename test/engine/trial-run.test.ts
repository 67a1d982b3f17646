/**
 * Trial mode (issue 19 §4): `avlasta run start --trial --sample 2` against the real Ekonomisystemet,
 * through the CLI and the API as a signed-in person, on the real dev server, Redis and Chromium.
 * The bots fill their forms and keep screenshots of them; nothing reaches the demo system's
 * database, no ledger row is written, nobody is asked to approve, and the audit log says trial.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AuditEntry } from '../../audit/types.js';
import { queryAll } from '../../audit/query-all.js';
import { lookupSupplier } from '../../bots/ekonomi/lookup-supplier.js';
import { registerInvoice } from '../../bots/ekonomi/register-invoice.js';
import { startEkonomi, type RunningEkonomi } from '../../demo/ekonomi/server.js';
import { signIn, startServer, type ServerHarness } from '../server/server-harness.js';
import { avlasta, cliContextOf } from '../support/cli-in-process.js';

const automationsDir = fileURLToPath(new URL('../../automations', import.meta.url));
const invoices = fileURLToPath(new URL('../../demo/data/supplier-invoices.csv', import.meta.url));
const credentials = { AVLASTA_TEST_EKONOMI_USER: 'robot', AVLASTA_TEST_EKONOMI_PASSWORD: 'provkör-ej' };
const dir = mkdtempSync(join(tmpdir(), 'avlasta-trial-'));
const dbFile = join(dir, 'ekonomi.db');
let ekonomi: RunningEkonomi;
let h: ServerHarness;
let out: string;
let workflowId: string;
let entries: AuditEntry[];

beforeAll(async () => {
  ekonomi = await startEkonomi({
    port: 0,
    dbFile,
    username: credentials.AVLASTA_TEST_EKONOMI_USER,
    password: credentials.AVLASTA_TEST_EKONOMI_PASSWORD,
    trouble: false,
  });
  h = await startServer({
    bots: [lookupSupplier, registerInvoice],
    automationsDir,
    systems: {
      ekonomi: {
        baseUrl: ekonomi.url,
        secrets: { username: 'env:AVLASTA_TEST_EKONOMI_USER', password: 'env:AVLASTA_TEST_EKONOMI_PASSWORD' },
      },
    },
    env: credentials,
  });
  const outcome = await avlasta(
    cliContextOf(h.engine),
    ['run', 'start', 'supplier-invoices', invoices, '--trial', '--sample', '2', '--wait'],
    {
      AVLASTA_SERVER_URL: await h.listen(),
      AVLASTA_API_TOKEN: h.tokens.olle,
      AVLASTA_CREDENTIALS_FILE: join(dir, 'x'),
    },
  );
  expect(outcome.error).toBeUndefined();
  out = outcome.out;
  workflowId = /started (run\.\S+)/.exec(out)![1];
  entries = [];
  for await (const e of queryAll(h.engine.stores.audit, { runId: workflowId })) entries.push(e);
}, 180_000);

afterAll(async () => {
  await h?.stop();
  await ekonomi?.close();
  rmSync(dir, { recursive: true, force: true });
});

const itemKeys = () => entries.filter((e) => e.event === 'item.loaded').map((e) => e.itemKey!);

it('runs the first two valid items, says TRIAL, and frees no staff time', () => {
  expect(workflowId).toMatch(/-trial-/);
  expect(out).toContain('TRIAL');
  expect(out).toMatch(
    /rows in the file: \d+: 2 to run, 0 already done in an earlier run \(skipped\), \d+ invalid \(not run\), \d+ beyond the sample/,
  );
  expect(out).toContain('of the 2 run: 2 done, 0 failed');
  expect(out).toContain('staff time freed: 0 min');
  expect(itemKeys()).toEqual(['F-270001', 'F-270002']);
});

it('leaves no record in the demo system and no row in the ledger', async () => {
  const db = new Database(dbFile, { readonly: true });
  const { n } = db.prepare('SELECT COUNT(*) n FROM invoices').get() as { n: number };
  db.close();
  expect(n).toBe(0);
  expect([...(await h.engine.stores.ledger.doneKeys('supplier-invoices', itemKeys()))]).toEqual([]);
});

it('keeps a screenshot of each filled form as the run’s evidence', () => {
  const register = entries.filter((e) => e.event === 'step.completed' && e.stepId === 'register');
  expect(register).toHaveLength(2);
  for (const e of register) {
    expect(e.details).toMatchObject({ trial: true, output: { trial: true } });
    const shots = e.artifacts.filter((a) => a.includes('trial-filled-form') && a.endsWith('.png'));
    expect(shots).toHaveLength(1);
    expect(existsSync(shots[0])).toBe(true);
  }
});

it('asks nobody to approve and marks the run trial in the audit log', async () => {
  expect(await h.engine.stores.approvals.list({ runId: workflowId })).toEqual([]);
  const byEvent = (event: string) => entries.filter((e) => e.event === event);
  expect(byEvent('api.run-requested')[0].details).toMatchObject({ trial: true, sample: 2 });
  expect(byEvent('run.started')[0].details).toMatchObject({ trial: true, sample: 2 });
  expect(byEvent('run.completed')[0].details).toMatchObject({ trial: true });
  expect(byEvent('item.completed').map((e) => e.details.trial)).toEqual([true, true]);
});

it('marks the run as a trial on its page and in the runs list, and the start form offers a trial', async () => {
  const { session } = await signIn(h.app, 'olle');
  const get = (url: string) => h.app.inject({ method: 'GET', url, headers: { cookie: session!.cookie } });
  const runPage = await get(`/runs/${encodeURIComponent(workflowId)}?lang=en`);
  expect(runPage.body).toMatch(/data-testid="trial-run"[^>]*>Trial run: nothing was registered/);
  // The list reads Temporal's visibility store, where the run's AvlastaTrial search attribute is.
  const row = async () => {
    const list = (await get('/runs?lang=en')).body;
    return list.slice(list.indexOf(`>${workflowId}</a>`)).split('</tr>')[0];
  };
  await expect.poll(row, { timeout: 10_000 }).toMatch(/data-testid="trial-tag">\(trial\)/);
  expect((await get('/runs?lang=en')).body).toMatch(/<input type="checkbox" id="trial" name="trial"/);
  const listed = (await get('/api/runs?automation=supplier-invoices')).json() as {
    runs?: { workflowId: string; trial?: boolean }[];
  };
  expect(JSON.stringify(listed)).toContain('"trial":true');
});
