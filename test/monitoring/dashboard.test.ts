/**
 * The city dashboard over the real store: who may see it, the figures it computes from the audit
 * log and the inbox, the CSV (formula prefixes neutralised), and the page in Chromium with
 * JavaScript off, in Swedish and English, checked by axe (WCAG 2.1 AA). Screenshot for the docs.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs } from '../../bot-runtime/browser-pool.js';
import { periodOf } from '../../server/dashboard-figures.js';
import { chromiumPath } from '../support/chromium-path.js';
import { PASSWORD, signIn, startServer, type ServerHarness } from '../server/server-harness.js';
import { screenshotFile } from '../support/screenshots.js';

let h: ServerHarness;
let browser: Browser;
const now = Date.now();
const daysAgo = (d: number, hours = 0) => new Date(now - d * 86_400_000 - hours * 3_600_000);

beforeAll(async () => {
  h = await startServer();
  const sys = { kind: 'system' as const, id: 'avlasta-engine' };
  const run = (automationId: string, runId: string, department: string, startedDaysAgo: number, minutes: number) => [
    {
      actor: { kind: 'user' as const, id: 'olle' },
      event: 'run.started' as const,
      automationId,
      runId,
      details: { department },
      at: daysAgo(startedDaysAgo, 2),
    },
    {
      actor: sys,
      event: 'run.completed' as const,
      automationId,
      runId,
      details: { staffMinutesFreed: minutes },
      at: daysAgo(startedDaysAgo),
    },
  ];
  const item = (
    event: 'item.completed' | 'item.failed' | 'item.rejected-by-approver',
    automationId: string,
    runId: string,
    key: string,
    d: number,
    flagged = false,
  ) => ({
    actor: sys,
    event,
    automationId,
    runId,
    itemKey: key,
    details: { flagged },
    at: daysAgo(d, 1),
  });
  await h.engine.stores.audit.append([
    ...run('faktura-attest', 'run.faktura-attest.w1', 'Ekonomiavdelningen', 14, 90),
    item('item.completed', 'faktura-attest', 'run.faktura-attest.w1', 'F-1', 14),
    item('item.completed', 'faktura-attest', 'run.faktura-attest.w1', 'F-2', 14, true),
    item('item.failed', 'faktura-attest', 'run.faktura-attest.w1', 'F-3', 14),
    ...run('faktura-attest', 'run.faktura-attest.w3', 'Ekonomiavdelningen', 0, 30),
    item('item.completed', 'faktura-attest', 'run.faktura-attest.w3', 'F-4', 0),
    ...run('ansokan', 'run.ansokan.1', '=HYPERLINK("http://evil.example","Socialförvaltningen")', 0, 48),
    item('item.completed', 'ansokan', 'run.ansokan.1', 'A-1', 0),
    item('item.rejected-by-approver', 'ansokan', 'run.ansokan.1', 'A-2', 0, true),
  ]);
  await h.engine.stores.approvals.putPending({
    approvalId: 'run.ansokan.1.item.A-2.check',
    automationId: 'ansokan',
    runId: 'run.ansokan.1',
    itemWorkflowId: 'run.ansokan.1.item.A-2',
    itemKey: 'A-2',
    stepId: 'check',
    reason: { sv: 'Adressen skiljer sig', en: 'The address differs' },
    approverRoles: ['handlaggare'],
    initiator: 'olle',
    requestedAt: daysAgo(0, 5).toISOString(),
    dueAt: daysAgo(-2).toISOString(),
    item: {},
    stepOutputs: {},
  });
  await h.engine.stores.approvals.recordDecision('run.ansokan.1.item.A-2.check', {
    status: 'rejected',
    actor: 'greta',
    at: daysAgo(0, 1).toISOString(),
    comment: 'nej',
  });
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

const get = async (who: string, url: string) =>
  h.app.inject({ method: 'GET', url, headers: { cookie: (await signIn(h.app, who)).session!.cookie } });

describe('city dashboard', () => {
  it('is for ops and managers only', async () => {
    expect((await get('maja', '/dashboard')).statusCode).toBe(200);
    expect((await get('olle', '/dashboard')).statusCode).toBe(200);
    for (const who of ['anna', 'greta', 'ada']) expect((await get(who, '/dashboard')).statusCode).toBe(403);
    expect((await get('greta', '/dashboard.csv')).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'GET', url: '/dashboard' })).statusCode).toBe(303);
    expect((await get('maja', '/inbox')).body).toContain('href="/dashboard"');
    expect((await get('anna', '/inbox')).body).not.toContain('href="/dashboard"');
  });

  it('shows hours freed, items and turnaround per period, automation and department', async () => {
    const body = (await get('maja', '/dashboard?period=week&lang=en')).body;
    const row = (testid: string, name: string) => {
      const table = body.slice(body.indexOf(`data-testid="${testid}"`));
      const at = table.indexOf(`<th scope="row">${name}</th>`);
      expect(at, `${testid}: ${name}`).toBeGreaterThan(0);
      return table
        .slice(at, table.indexOf('</tr>', at))
        .split('<td')
        .slice(1)
        .map((c) =>
          c
            .replace(/^[^>]*>/, '')
            .replace(/<\/td>\s*$/, '')
            .trim(),
        );
    };
    // faktura-attest: 90 + 30 minutes, 3 done (one flagged), 1 failed.
    expect(row('per-automation', 'faktura-attest')).toEqual(['Ekonomiavdelningen', '2', '3', '1', '0', '1', '–']);
    // ansokan: 48 minutes, 1 done, 1 rejected by its approver after 4 hours.
    expect(row('per-automation', 'ansokan').slice(1)).toEqual(['0,8', '1', '1', '1', '0', '4']);
    expect(row('per-department', 'Ekonomiavdelningen')).toEqual(['2', '3']);
    const thisWeek = periodOf(now, 'week');
    expect(row('per-period', thisWeek)).toEqual(['1,3', '2', '1', '1', '0', '1', '4']);
    expect(row('per-period', periodOf(daysAgo(14).getTime(), 'week'))).toEqual(['1,5', '2', '1', '0', '1', '0', '–']);
    expect(body).toContain('<svg viewBox="0 0 720 260" role="img" aria-labelledby="hours-title hours-desc"');
    expect(body).toContain(`<title>${thisWeek.replace(/^\d{4}-W/, 'W')}, Hours freed: 1,3</title>`);
  });

  it('downloads the figures as CSV with formula prefixes neutralised', async () => {
    const res = await get('olle', '/dashboard.csv?period=month');
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="avlasta-month.csv"');
    const lines = res.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'period,automation,department,hoursFreed,done,flagged,rejected,failed,decided,medianTurnaroundHours',
    );
    const ansokan = lines.find((l) => l.includes(',ansokan,'))!;
    expect(ansokan).toContain(`,"'=HYPERLINK(""http://evil.example"",""Socialförvaltningen"")",0.8,1,1,1,0,1,4`);
    expect(lines.some((l) => /,=/.test(l))).toBe(false);
  });

  for (const lang of ['sv', 'en'] as const) {
    it(`works without JavaScript and passes axe (${lang})`, async () => {
      const base = h.app.server.listening
        ? `http://127.0.0.1:${(h.app.server.address() as { port: number }).port}`
        : await h.app.listen({ port: 0, host: '127.0.0.1' });
      const signedIn = async (javaScriptEnabled: boolean) => {
        const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1200, height: 900 } });
        const page = await context.newPage();
        await page.goto(`${base}/login?lang=${lang}`);
        await page.getByLabel(lang === 'sv' ? 'Användar-id' : 'User id').fill('maja');
        await page.getByLabel(lang === 'sv' ? 'Lösenord' : 'Password').fill(PASSWORD);
        await page.getByRole('button', { name: lang === 'sv' ? 'Logga in' : 'Sign in' }).click();
        await page.goto(`${base}/dashboard`);
        return page;
      };
      // Without JavaScript: the charts are there and the period form works.
      const plain = await signedIn(false);
      await plain
        .getByRole('img', { name: lang === 'sv' ? 'Timmar frigjorda per period' : 'Hours freed per period' })
        .waitFor();
      await plain.getByLabel('Period', { exact: true }).selectOption('month');
      await plain.getByRole('button', { name: lang === 'sv' ? 'Visa' : 'Show' }).click();
      await plain.waitForURL('**/dashboard?period=month');
      expect(await plain.getByRole('img').count()).toBe(2);
      await plain.context().close();
      // axe runs as a script in the page.
      const page = await signedIn(true);
      for (const url of ['/dashboard?period=month', '/dashboard?period=week']) {
        await page.goto(`${base}${url}`);
        const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
        const bad = result.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
        expect(bad, url).toEqual([]);
      }
      if (lang === 'sv') {
        await page.screenshot({ path: screenshotFile('dashboard'), fullPage: true });
      }
      await page.context().close();
    });
  }
});
