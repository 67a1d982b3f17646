/**
 * Running a file again (issue 18 §6), through the CLI and the API as a signed-in person, on the
 * real dev server: a run that skips every item says so loudly; `avlasta ledger forget` (ops only)
 * and `run start --rerun-completed` make the next run register again; both are in the audit log.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AuditEntry } from '../../audit/types.js';
import { queryAll } from '../../audit/query-all.js';
import type { CliContext } from '../../cli/context.js';
import { signIn, startServer, uniqueRunKey, type ServerHarness } from '../server/server-harness.js';
import { avlasta, cliContextOf } from '../support/cli-in-process.js';
import { bots, registered } from './fixtures/test-bots.js';
import { automationsDir } from './support.js';

let h: ServerHarness;
let url: string;
let ctx: CliContext;
const dir = mkdtempSync(join(tmpdir(), 'avlasta-rerun-'));
const prefix = uniqueRunKey().toUpperCase();
const keys = [`${prefix}-1`, `${prefix}-2`];
const file = join(dir, 'fakturor.csv');

beforeAll(async () => {
  h = await startServer({ bots, automationsDir });
  url = await h.listen();
  ctx = cliContextOf(h.engine);
  writeFileSync(file, `invoiceNumber,orgnr,amount\n${keys.map((k) => `${k},556036-0793,100`).join('\n')}\n`);
});
afterAll(async () => {
  await h?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[], token = h.tokens.olle) {
  return avlasta(ctx, args, {
    AVLASTA_SERVER_URL: url,
    AVLASTA_API_TOKEN: token,
    AVLASTA_CREDENTIALS_FILE: join(dir, 'none.json'),
  });
}

async function runFile(...extra: string[]) {
  const outcome = await cli(['run', 'start', 'test-in-run', file, '--wait', ...extra]);
  expect(outcome.error).toBeUndefined();
  const workflowId = /started (run\.\S+)/.exec(outcome.out)![1];
  return { out: outcome.out, workflowId };
}

async function auditOf(filter: { runId?: string; automationId?: string }): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for await (const e of queryAll(h.engine.stores.audit, filter)) out.push(e);
  return out;
}

const timesRegistered = () => keys.map((k) => registered.get(k) ?? 0);

it('registers the file, then a second run that skips everything warns loudly', async () => {
  const first = await runFile();
  expect(first.out).toContain('rows in the file: 2: 2 to run, 0 already done in an earlier run (skipped)');
  expect(first.out).not.toContain('NOTHING WAS RUN');
  expect(timesRegistered()).toEqual([1, 1]);

  const second = await runFile('--run-key', uniqueRunKey());
  expect(second.out).toContain('rows in the file: 2: 0 to run, 2 already done in an earlier run (skipped)');
  expect(second.out).toMatch(/!!! NOTHING WAS RUN: all 2 valid items were skipped/);
  expect(second.out).toContain('--rerun-completed');
  expect(second.out).toContain('avlasta ledger forget test-in-run --all');
  expect(timesRegistered()).toEqual([1, 1]);
  const { session } = await signIn(h.app, 'olle');
  const runPage = await h.app.inject({
    method: 'GET',
    url: `/runs/${encodeURIComponent(second.workflowId)}?lang=en`,
    headers: { cookie: session!.cookie },
  });
  expect(runPage.body).toMatch(/data-testid="nothing-run"[^>]*>Nothing was run: all 2 valid rows were skipped/);
}, 60_000);

it('lets only ops forget completed keys, on record; the next run registers them again', async () => {
  const refused = await cli(['ledger', 'forget', 'test-in-run', keys[0]], h.tokens.anna);
  expect(refused.error).toMatch(/AVL_ERR_FORBIDDEN/);
  const nothing = await cli(['ledger', 'forget', 'test-in-run']);
  expect(nothing.error).toMatch(/--all/);

  const forgot = await cli(['ledger', 'forget', 'test-in-run', keys[0], 'NOT-A-KEY']);
  expect(forgot.error).toBeUndefined();
  expect(forgot.out).toContain('forgot 1 completed key of test-in-run');
  expect(forgot.out).toContain('not in the ledger (never completed, or already forgotten): NOT-A-KEY');
  const [entry] = (await auditOf({ automationId: 'test-in-run' })).filter((e) => e.event === 'ledger.forgotten');
  expect(entry).toMatchObject({
    actor: { kind: 'user', id: 'olle' },
    details: { scope: 'keys', forgotten: 1, keys: [keys[0]], notInLedger: ['NOT-A-KEY'], via: 'token' },
  });

  const third = await runFile('--run-key', uniqueRunKey());
  expect(third.out).toContain('rows in the file: 2: 1 to run, 1 already done in an earlier run (skipped)');
  expect(timesRegistered()).toEqual([2, 1]);
}, 60_000);

it('runs every item again with --rerun-completed, on record', async () => {
  const rerun = await runFile('--rerun-completed');
  expect(rerun.out).toContain('rows in the file: 2: 2 to run, 0 already done');
  expect(timesRegistered()).toEqual([3, 2]);
  const entries = await auditOf({ runId: rerun.workflowId });
  expect(entries.find((e) => e.event === 'api.run-requested')?.details).toMatchObject({ rerunCompleted: true });
  expect(entries.find((e) => e.event === 'run.started')?.details).toMatchObject({ rerunCompleted: true });
  const loaded = entries.filter((e) => e.event === 'item.loaded');
  expect(loaded.map((e) => e.details.rerun)).toEqual([expect.any(String), expect.any(String)]);
}, 60_000);
