/**
 * The approval latency a case officer sees: from a click on "Skicka beslut" (Approve selected) on the approval page in
 * real Chromium to the next step of the item starting. The inbox server, the engine and the
 * bench.stamp bot (which records Date.now() when its job starts) run in this process, so both
 * ends are read from the same clock. Also reports click → result page loaded, which is what the
 * case officer sees.
 *
 *   npx tsx bench/approval-click.ts [--decisions 60]
 */
import { launchChromium } from '../bot-runtime/browser-pool.js';
import { hashPassword } from '../server/auth/password.js';
import { startBenchInbox, startPendingApprovals } from './lib/approval-run.js';
import { numericArgs } from './lib/args.js';
import { startBenchEngine } from './lib/engine.js';
import { fmt, line, percentile } from './lib/stats.js';
import { waitFor } from './lib/wait.js';
import { stampStarts } from './fixtures/bench-bots.js';

const args = numericArgs({ decisions: 60 });
const PASSWORD = 'bänk-lösenord-för-mätning';
const engine = await startBenchEngine({ systems: { bench: { baseUrl: 'http://127.0.0.1:9', concurrency: 8 } } });
const server = await startBenchInbox(engine, { passwordHash: await hashPassword(PASSWORD) });
const browser = await launchChromium(engine.config.chromiumPath);

let summary = '';
try {
  const { runId, pending } = await startPendingApprovals(engine, args.decisions);
  line('approvals pending', String(pending.length));
  const page = await (await browser.newContext({ baseURL: server.url, locale: 'sv-SE' })).newPage();
  await page.goto('/login');
  await page.getByLabel('Användar-id').fill('bench-attestant');
  await page.getByLabel('Lösenord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.waitForURL('**/inbox');

  const toStep: number[] = [];
  const toPage: number[] = [];
  for (const approval of pending) {
    await page.goto(`/approvals/${encodeURIComponent(approval.approvalId)}`);
    await page.getByLabel('Godkänn').check();
    const button = page.getByRole('button', { name: 'Skicka beslut' });
    const t0 = Date.now();
    await Promise.all([page.waitForEvent('load'), button.click()]);
    toPage.push(Date.now() - t0);
    const notice = await page
      .getByRole('status')
      .first()
      .textContent()
      .catch(() => null);
    if (!notice?.includes('Du godkände'))
      throw new Error(
        `${approval.approvalId}: the page after the click says "${notice}"\n${await page.locator('main').innerText()}`,
      );
    const started = await waitFor(
      `the step after ${approval.approvalId}`,
      () => stampStarts.get(`${approval.itemWorkflowId}.after`),
      30_000,
    );
    toStep.push(started - t0);
  }
  const result = await engine.client.workflow.getHandle(runId).result();
  line('run outcome', JSON.stringify((result as { counts: unknown }).counts));
  line('click → result page loaded p50 / p95', `${fmt(percentile(toPage, 50))} / ${fmt(percentile(toPage, 95))} ms`);
  line(
    'click → next step started p50 / p95 / max',
    `${fmt(percentile(toStep, 50))} / ${fmt(percentile(toStep, 95))} / ${fmt(Math.max(...toStep))} ms`,
  );
  summary = `SUMMARY approval-click: ${toStep.length} decisions by a click in Chromium → next step started p50 ${fmt(percentile(toStep, 50), 0)} ms, p95 ${fmt(percentile(toStep, 95), 0)} ms; result page p50 ${fmt(percentile(toPage, 50), 0)} ms`;
} finally {
  await browser.close();
  await server.close();
  await engine.stop();
}
console.log(summary);
