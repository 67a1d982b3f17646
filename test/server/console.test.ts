/**
 * The ops console on real runs (real Temporal dev server, real bot worker): each action in Chromium
 * through its confirm page (pause, resume, cancel, retry failed items), a refusal with its reason,
 * the items table with reasons and keyset pages, axe-core on every page and screenshots for the
 * docs; the same actions from the CLI through the API, and the role and CSRF guards.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRun } from '../../engine/runs.js';
import type { RunSummary } from '../../workflows/types.js';
import { testLookup } from '../engine/fixtures/test-bots.js';
import { gate, testGate } from '../engine/fixtures/gate-bots.js';
import { automationsDir, waitForPending } from '../engine/support.js';
import { avlasta, cliContextOf } from '../support/cli-in-process.js';
import { checkPage, launchBrowser, newPage as openPage, signInWithMouse } from './browser-support.js';
import { signIn, startServer, type ServerHarness } from './server-harness.js';

let h: ServerHarness;
let base: string;
let browser: Browser;

beforeAll(async () => {
  h = await startServer({ bots: [testLookup, testGate], automationsDir });
  base = await h.listen();
  browser = await launchBrowser();
});
afterAll(async () => {
  gate.open();
  await browser?.close();
  await h?.stop();
});
beforeEach(() => {
  gate.open();
  gate.started.length = 0;
  gate.failing.clear();
});

const ids = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);

async function start(keys: string[]): Promise<string> {
  const { workflowId } = await startRun(
    { client: h.engine.client, config: h.engine.config, registry: h.engine.registry, automationsDir },
    {
      automationId: 'test-console',
      runKey: randomUUID().slice(0, 8),
      initiator: 'anna',
      input: { fileName: 'items.json', data: Buffer.from(JSON.stringify(keys.map((id) => ({ id })))) },
    },
  );
  return workflowId;
}

async function until(what: string, probe: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const result = (runId: string) => h.engine.client.workflow.getHandle(runId).result() as Promise<RunSummary>;

async function opsPage(): Promise<Page> {
  const page = await openPage(browser, base);
  await signInWithMouse(page, 'olle');
  return page;
}

/** Clicks the action on the run page, checks its confirm page, and confirms. */
async function act(page: Page, label: string, shot?: string): Promise<void> {
  await page.getByTestId('actions').getByRole('link', { name: label }).click();
  await page.waitForURL('**/actions/*');
  if (shot) await checkPage(page, shot);
  await page.getByRole('button', { name: 'Ja, gör det' }).click();
  await page.waitForURL(/\?done=/);
}

const statusOf = (page: Page) => page.getByTestId('run-status').textContent();

/** What each item in the run page's "in progress" table is doing, in table order. */
async function inFlightStates(page: Page): Promise<string[]> {
  const rows = page.getByTestId('items-in-flight').locator('tbody tr td:nth-child(2)');
  return rows.allTextContents();
}

describe('the ops console in Chromium', () => {
  it('pauses a run (started items finish, no new ones start), refuses a second pause with the reason, resumes', async () => {
    gate.close();
    const runId = await start(ids(6, 'P'));
    await until('two items at work', () => gate.started.length >= 2);
    const page = await opsPage();
    await page.goto('/runs?automation=test-console&status=running');
    await expect(page.getByRole('link', { name: runId }).count()).resolves.toBe(1);
    await checkPage(page, 'console-runs');
    await page.getByRole('link', { name: runId }).click();

    await act(page, 'Pausa', 'console-confirm-pause');
    await expect(statusOf(page)).resolves.toBe('Pausad');
    await expect(page.getByTestId('done').textContent()).resolves.toContain('Körningen är pausad');
    await expect(page.getByText('Pausad av olle').count()).resolves.toBe(1);
    gate.open();
    await until('the started items done', () => gate.started.length >= 2);
    await new Promise((r) => setTimeout(r, 1000));
    expect(gate.started).toHaveLength(2);
    await page.reload();
    await checkPage(page, 'console-paused');

    // A second pause from a page opened before: refused, with the engine's reason.
    await page.goto(`/runs/${encodeURIComponent(runId)}/actions/pause`);
    await page.getByRole('button', { name: 'Ja, gör det' }).click();
    await expect(page.getByTestId('refused').textContent()).resolves.toContain('Körningen är redan pausad');
    await expect(page.getByTestId('refused').textContent()).resolves.toContain('already paused by olle');
    await checkPage(page, 'console-refused');

    await page.goto(`/runs/${encodeURIComponent(runId)}`);
    await act(page, 'Återuppta');
    expect((await result(runId)).counts).toMatchObject({ done: 6, cancelled: 0 });
    const audit = (await h.engine.stores.audit.query({ runId })).filter((e) => e.event.endsWith('-requested'));
    expect(audit.map((e) => [e.event, e.actor.id, e.details.outcome, e.details.via])).toEqual([
      ['run.pause-requested', 'olle', 'accepted', 'console'],
      ['run.pause-requested', 'olle', 'refused', 'console'],
      ['run.resume-requested', 'olle', 'accepted', 'console'],
    ]);
    await page.context().close();
  }, 90_000);

  it('cancels a run: items in flight finish, the rest are counted as cancelled', async () => {
    gate.close();
    const runId = await start(ids(6, 'C'));
    await until('two items at work', () => gate.started.length >= 2);
    const page = await opsPage();
    await page.goto(`/runs/${encodeURIComponent(runId)}`);
    // The two items at the gate are listed as in progress (Temporal's visibility store, a moment behind).
    await expect
      .poll(async () => (await page.reload(), inFlightStates(page)), { timeout: 10_000 })
      .toEqual(['Roboten arbetar', 'Roboten arbetar']);
    await checkPage(page, 'console-in-flight');
    await act(page, 'Avbryt körningen', 'console-confirm-cancel');
    await expect(statusOf(page)).resolves.toBe('Avbryts');
    gate.open();
    expect((await result(runId)).counts).toMatchObject({ done: 2, failed: 0, cancelled: 4 });
    await page.reload();
    await expect(statusOf(page)).resolves.toBe('Avbruten');
    await expect(page.getByText('Avbrutna:').count()).resolves.toBe(1);
    await expect(page.getByTestId('actions').count()).resolves.toBe(0);
    await checkPage(page, 'console-cancelled');
    await page.context().close();
  }, 90_000);

  it('cancels a run whose items wait for a person: their approvals are withdrawn, naming who cancelled', async () => {
    const { workflowId: runId } = await startRun(
      { client: h.engine.client, config: h.engine.config, registry: h.engine.registry, automationsDir },
      {
        automationId: 'test-withdraw',
        runKey: randomUUID().slice(0, 8),
        initiator: 'anna',
        input: {
          fileName: 'items.json',
          data: Buffer.from(
            JSON.stringify([
              { id: 'W-1', ask: 'first' },
              { id: 'W-2', ask: 'first' },
            ]),
          ),
        },
      },
    );
    const waiting = await waitForPending(h.engine.stores, runId, 2);
    const page = await opsPage();
    await page.goto(`/runs/${encodeURIComponent(runId)}`);
    await expect
      .poll(async () => (await page.reload(), inFlightStates(page)), { timeout: 10_000 })
      .toEqual(['Väntar på beslut', 'Väntar på beslut']);
    await act(page, 'Avbryt körningen');
    expect((await result(runId)).counts).toMatchObject({ done: 0, flagged: 0, cancelled: 2 });
    await page.goto(`/approvals/${encodeURIComponent(waiting[0].approvalId)}`);
    await expect(page.getByTestId('status').textContent()).resolves.toContain('Återkallad – olle');
    await expect(page.getByTestId('withdrawn').textContent()).resolves.toContain('Körningen avbröts av Olle Drift');
    await expect(page.getByRole('button', { name: 'Skicka beslut' }).count()).resolves.toBe(0);
    await checkPage(page, 'approval-withdrawn');
    await page.context().close();
  }, 90_000);

  it('shows failed items with their reasons and retries exactly those in a linked run', async () => {
    gate.failing.add('R-2').add('R-3');
    const runId = await start(ids(4, 'R'));
    expect((await result(runId)).counts).toMatchObject({ done: 2, failed: 2 });
    const page = await opsPage();
    await page.goto(`/runs/${encodeURIComponent(runId)}`);
    await page.getByLabel('Utfall').selectOption('failed');
    await page.getByRole('button', { name: 'Filtrera' }).click();
    const rows = page.getByTestId('items').locator('tbody tr');
    await expect(rows.count()).resolves.toBe(2);
    await expect(rows.first().innerText()).resolves.toMatch(
      /R-2\s+Misslyckad\s+work\s+test\.gate: Systemet svarade 503\s+2/,
    );
    await checkPage(page, 'console-run-items');

    gate.failing.clear();
    gate.started.length = 0;
    await act(page, 'Kör om misslyckade ärenden', 'console-confirm-retry');
    await expect(page.getByTestId('retry-of').textContent()).resolves.toContain(runId);
    const retryId = decodeURIComponent(new URL(page.url()).pathname.slice('/runs/'.length));
    expect((await result(retryId)).counts).toMatchObject({ done: 2, failed: 0 });
    expect(gate.started.sort()).toEqual(['R-2', 'R-3']);
    await page.reload();
    await checkPage(page, 'console-retry');
    await page.goto(`/runs/${encodeURIComponent(runId)}`);
    await expect(page.getByTestId('retries').textContent()).resolves.toContain(retryId);
    await page.context().close();
  }, 90_000);
});

describe('the same actions from the CLI and the API', () => {
  const cli = (token: string, ...args: string[]) =>
    avlasta(cliContextOf(h.engine), args, { AVLASTA_SERVER_URL: base, AVLASTA_API_TOKEN: token });

  it('pauses, refuses, lists failed items and retries them as the signed-in person', async () => {
    gate.close();
    const runId = await start(ids(4, 'K'));
    await until('two items at work', () => gate.started.length >= 2);
    expect((await cli(h.tokens.ada, 'run', 'pause', runId)).error).toMatch(/^AVL_ERR_FORBIDDEN/);
    expect((await cli(h.tokens.olle, 'run', 'pause', runId)).out).toBe(`pause: ${runId} (by olle)`);
    expect((await cli(h.tokens.olle, 'run', 'pause', runId)).error).toMatch(
      /^AVL_ERR_RUN_ALREADY_PAUSED: the run was already paused by olle/,
    );
    expect((await cli(h.tokens.olle, 'run', 'retry-failed', runId)).error).toMatch(/^AVL_ERR_RUN_RUNNING/);
    gate.failing.add('K-1');
    gate.open();
    expect((await cli(h.tokens.olle, 'run', 'resume', runId)).error).toBeUndefined();
    expect((await result(runId)).counts).toMatchObject({ done: 3, failed: 1 });

    const status = await cli(h.tokens.olle, 'run', 'status', runId);
    expect(status.out).toContain('failed items:');
    expect(status.out).toContain('K-1: step work, 2 attempts: test.gate: Systemet svarade 503');
    const items = await cli(h.tokens.ada, 'run', 'items', runId, '--limit', '2');
    expect(items.out.split('\n').filter((l) => / (done|failed) /.test(l))).toHaveLength(2);
    expect(items.out).toMatch(/more: avlasta run items .* --after \d+/);

    gate.failing.clear();
    const retried = await cli(h.tokens.olle, 'run', 'retry-failed', runId);
    expect(retried.out).toMatch(
      new RegExp(`^started run\\.test-console\\.\\S+ with the 1 failed items of ${runId.replace(/\./g, '\\.')}$`),
    );
  }, 90_000);

  it('asks for the CSRF token of a signed-in browser session and the ops role', async () => {
    const runId = await start(ids(1, 'G'));
    const { session } = await signIn(h.app, 'olle');
    const forged = await h.app.inject({
      method: 'POST',
      url: `/runs/${encodeURIComponent(runId)}/actions/cancel`,
      headers: { cookie: session!.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    expect(forged.statusCode).toBe(403);
    const auditor = await signIn(h.app, 'ada');
    const page = await h.app.inject({
      method: 'GET',
      url: `/runs/${encodeURIComponent(runId)}/actions/cancel`,
      headers: { cookie: auditor.session!.cookie },
    });
    expect(page.statusCode).toBe(403);
    await result(runId);
  }, 60_000);
});
