/**
 * The staff pages in real Chromium against the server listening on port 0, over the real engine:
 * sign in, inbox, evidence, decisions by keyboard only, CSRF and role refusals, and axe-core on
 * every page (no serious or critical WCAG 2.1 AA violation), with screenshots (`npm run screenshots`
 * refreshes the docs' pictures).
 */
import { type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPage, launchBrowser, newPage as openPage, signInWithMouse } from './browser-support.js';
import {
  PASSWORD,
  attestCsv,
  startAttestRun,
  startServer,
  waitForApproval,
  type ServerHarness,
} from './server-harness.js';

const EVIL = '<script>window.__pwned=1</script><img src=x onerror=window.__pwned=2>';

let h: ServerHarness;
let browser: Browser;
let base: string;

beforeAll(async () => {
  h = await startServer();
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

const newPage = (): Promise<Page> => openPage(browser, base);

/** Presses Tab until the target has focus, as a keyboard user would; fails if it never does. */
async function tabTo(page: Page, target: Locator, maxPresses = 30): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) {
      const outline = await target.evaluate((el) => getComputedStyle(el).outlineStyle);
      expect(outline, 'focus must be visible').not.toBe('none');
      return;
    }
  }
  throw new Error(`Tab never reached ${target}`);
}

describe('staff pages in Chromium', () => {
  it('signs in, shows the inbox, and renders hostile item data inert', async () => {
    const runId = await startAttestRun(h, attestCsv(EVIL));
    const approvalId = await waitForApproval(h, runId);
    const page = await newPage();
    await page.goto('/login');
    await checkPage(page, 'login');
    await signInWithMouse(page, 'anna');
    const { itemKey } = (await h.engine.stores.approvals.get(approvalId))!;
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: itemKey }) });
    await expect(row.getByRole('cell').nth(2).textContent()).resolves.toContain('Beloppet är över 1 000 kr');
    await checkPage(page, 'inbox');

    await page.goto(`/approvals/${encodeURIComponent(approvalId)}`);
    await expect(page.getByRole('cell', { name: EVIL }).textContent()).resolves.toBe(EVIL);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('main script, main img[src="x"]').count()).toBe(0);
    await expect(page.getByRole('cell', { name: '19811218-9876' }).count()).resolves.toBe(1);
    await expect(page.getByRole('cell', { name: /5\s000,00\s+kr/ }).count()).resolves.toBe(1);
    await checkPage(page, 'approval');

    // Remove the form's CSRF token the way a forged cross-site form would lack it.
    await page.locator('form[action$="/decision"] input[name="_csrf"]').evaluate((el) => el.remove());
    await page.getByRole('button', { name: 'Skicka beslut' }).click();
    await expect(page.getByTestId('error').textContent()).resolves.toContain('säkerhetstoken');
    expect((await h.engine.stores.approvals.get(approvalId))?.status).toBe('pending');
    await page.context().close();
  });

  it('shows nothing to a person without the role and answers 403 on a direct link', async () => {
    const runId = await startAttestRun(h);
    const approvalId = await waitForApproval(h, runId);
    const page = await newPage();
    await signInWithMouse(page, 'greta');
    await expect(page.getByRole('status').textContent()).resolves.toContain('Inget väntar på dig');
    const res = await page.goto(`/approvals/${encodeURIComponent(approvalId)}`);
    expect(res?.status()).toBe(403);
    await expect(page.getByTestId('error').textContent()).resolves.toContain('inte behörighet');
    await checkPage(page, 'forbidden');
    const shot = await page.request.get(`/approvals/${encodeURIComponent(approvalId)}/screenshot`);
    expect(shot.status()).toBe(403);
    await page.context().close();
  });

  it('lets a person sign in and reject an item with the keyboard only; the workflow continues', async () => {
    const runId = await startAttestRun(h);
    const approvalId = await waitForApproval(h, runId);
    const page = await newPage();
    await page.goto('/login');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Hoppa till innehållet');
    await tabTo(page, page.getByLabel('Användar-id'));
    await page.keyboard.type('anna');
    await tabTo(page, page.getByLabel('Lösenord'));
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/inbox');

    await tabTo(page, page.locator(`a[href="/approvals/${encodeURIComponent(approvalId)}"]`));
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/approvals/${encodeURIComponent(approvalId)}`);
    await tabTo(page, page.getByLabel('Godkänn'));
    await page.keyboard.press('ArrowRight');
    await expect(page.getByLabel('Avslå').isChecked()).resolves.toBe(true);
    await tabTo(page, page.getByLabel('Kommentar'));
    await page.keyboard.type('Fakturan saknar underlag');
    await tabTo(page, page.getByRole('button', { name: 'Skicka beslut' }));
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('result').textContent()).resolves.toMatch(/Du avslog ärendet \d\d:\d\d/);
    // The status line agrees with the notice at once, before the workflow has updated the store.
    // innerText, as a person reads it: the template's line breaks are not part of the status.
    await expect(page.getByTestId('status').innerText()).resolves.toMatch(
      /^Avslagen – anna, \d{4}-\d\d-\d\d \d\d:\d\d$/,
    );
    await checkPage(page, 'approval-decided');

    const summary = (await h.engine.client.workflow.getHandle(runId).result()) as {
      counts: { rejected: number; done: number };
    };
    expect(summary.counts).toMatchObject({ rejected: 1, done: 1 });
    await page.goto('/decided');
    await expect(page.getByRole('cell', { name: 'Fakturan saknar underlag' }).count()).resolves.toBeGreaterThan(0);
    await checkPage(page, 'decided');

    await page.context().close();
  });

  it('refuses a late second decision with "redan beslutad av … kl …", in English on request', async () => {
    const runId = await startAttestRun(h);
    const approvalId = await waitForApproval(h, runId);
    const [anna, bert] = [await newPage(), await newPage()];
    await signInWithMouse(anna, 'anna');
    await signInWithMouse(bert, 'bert');
    await anna.goto(`/approvals/${encodeURIComponent(approvalId)}`);
    await bert.goto(`/approvals/${encodeURIComponent(approvalId)}?lang=en`);
    await anna.getByRole('button', { name: 'Skicka beslut' }).click();
    await expect(anna.getByTestId('result').textContent()).resolves.toMatch(/Du godkände ärendet/);
    await bert.getByLabel('Comment').fill('too late');
    await bert.getByRole('button', { name: 'Submit decision' }).click();
    await expect(bert.getByTestId('result').textContent()).resolves.toMatch(
      /^Already decided by Anna Andersson at \d{4}-\d\d-\d\d \d\d:\d\d\.$/,
    );
    await checkPage(bert, 'approval-already-decided-en');
    await bert.goto('/inbox');
    await expect(bert.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('To decide');
    await h.engine.client.workflow.getHandle(runId).result();
    await Promise.all([anna.context().close(), bert.context().close()]);
  });

  it('shows ops the runs and one run with its counts and a Temporal UI link', async () => {
    const runId = await startAttestRun(h);
    const page = await newPage();
    await signInWithMouse(page, 'olle');
    await page.getByRole('link', { name: 'Körningar' }).click();
    await expect(page.getByRole('link', { name: runId }).count()).resolves.toBe(1);
    await checkPage(page, 'runs');
    await page.getByRole('link', { name: runId }).click();
    await expect(page.getByTestId('run-status').textContent()).resolves.toBe('Pågår');
    const ui = await page.getByRole('link', { name: runId }).getAttribute('href');
    expect(ui).toBe(
      `http://127.0.0.1:8233/namespaces/default/workflows?query=${encodeURIComponent(`WorkflowId="${runId}"`)}`,
    );
    await expect(page.getByText('Flaggade:').count()).resolves.toBe(1);
    await checkPage(page, 'run');
    await page.context().close();
  });
});
