/**
 * The Temporal Web UI in Chromium shows an item's input through Avlasta's codec server: a Temporal
 * dev server of this test's own (the shared one is never restarted) started, as set-up starts its
 * own, with --ui-codec-endpoint pointing at the Avlasta server. The ops user, signed in to Avlasta,
 * turns on "include cross-origin credentials" in the UI's codec settings, as docs/MONITORING.md
 * says, and reads the decoded input with the personnummer masked; a person without the role gets
 * the codec server's 403 and sees only the encrypted payload. Screenshot for the docs.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromiumArgs } from '../../bot-runtime/browser-pool.js';
import { chromiumPath } from '../support/chromium-path.js';
import { freePort, startOwnTemporal, type OwnTemporal } from '../support/temporal-dev-server.js';
import { screenshotFile } from '../support/screenshots.js';
import {
  PASSWORD,
  attestCsv,
  startAttestRun,
  startServer,
  waitForApproval,
  type ServerHarness,
} from '../server/server-harness.js';

let own: OwnTemporal;
let h: ServerHarness;
let browser: Browser;
let base: string;
let codecEndpoint: string;
let workflowUrl: string;

beforeAll(async () => {
  const port = await freePort();
  codecEndpoint = `http://127.0.0.1:${port}/codec`;
  own = await startOwnTemporal({ codecEndpoint });
  process.env.TEMPORAL_ADDRESS = own.address; // this file's process only (vitest forks per file)
  h = await startServer({ configExtra: { temporal: { uiUrl: own.uiUrl } } });
  base = await h.app.listen({ port, host: '127.0.0.1' });
  const runId = await startAttestRun(h, attestCsv('Kalle Kula'));
  const approval = (await h.engine.stores.approvals.get(await waitForApproval(h, runId)))!;
  const handle = h.engine.client.workflow.getHandle(approval.itemWorkflowId);
  const { runId: temporalRunId } = await handle.describe();
  workflowUrl = `${own.uiUrl}/namespaces/default/workflows/${encodeURIComponent(approval.itemWorkflowId)}/${temporalRunId}/history`;
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await h?.stop();
  await own?.stop();
});

async function signedIn(user: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'sv-SE' });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel('Användar-id').fill(user);
  await page.getByLabel('Lösenord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.waitForURL('**/inbox');
  return page;
}

/** What docs/MONITORING.md tells a person to do once in the dev server's UI. */
async function includeCredentials(page: Page): Promise<void> {
  await page.goto(workflowUrl);
  await page
    .getByTestId(/^data-encoder-status/)
    .first()
    .click();
  await page.getByRole('button', { name: /Use Cluster-level setting/ }).click();
  await page.getByLabel(/Use my browser setting and ignore Cluster-level setting/).check();
  await page.getByRole('button', { name: /Use my browser setting/ }).click(); // folds the choice away
  await page.getByPlaceholder('Paste your endpoint here').fill(codecEndpoint);
  await page.getByTestId('data-encoder-include-credentials').click();
  expect(await page.getByRole('switch', { name: 'Include cross-origin credentials' }).isChecked()).toBe(true);
  await page.getByTestId('confirm-data-encoder-button').click();
}

it('shows the ops user the decoded item input, personnummer masked', async () => {
  const page = await signedIn('olle');
  await includeCredentials(page);
  const decoded = page.waitForResponse((r) => r.url() === `${codecEndpoint}/decode` && r.request().method() === 'POST');
  await page.goto(workflowUrl);
  expect((await decoded).status()).toBe(200);
  await expect(page.getByText('Kalle Kula').first().waitFor({ timeout: 20_000 })).resolves.toBeUndefined();
  const text = await page.locator('main').innerText();
  expect(text).toContain('19811218-****');
  expect(text).not.toContain('19811218-9876');
  await page.screenshot({ path: screenshotFile('temporal-ui-decoded') });
  const viewed = (await h.engine.stores.audit.query({})).filter((e) => e.event === 'payload.viewed');
  expect(viewed.map((e) => e.actor.id)).toContain('olle');
  await page.context().close();
}, 90_000);

it('refuses a person without the role: the UI keeps the payload encrypted', async () => {
  const page = await signedIn('greta');
  await includeCredentials(page);
  const refused = page.waitForResponse((r) => r.url() === `${codecEndpoint}/decode` && r.request().method() === 'POST');
  await page.goto(workflowUrl);
  expect((await refused).status()).toBe(403);
  // The UI marks the codec as failing and shows the payload as it came from Temporal.
  await expect(page.getByTestId('data-encoder-status-error').waitFor({ timeout: 20_000 })).resolves.toBeUndefined();
  await page.getByRole('heading', { name: 'Input' }).waitFor();
  await page.screenshot({ path: screenshotFile('temporal-ui-refused') });
  expect(await page.locator('main').innerText()).not.toContain('Kalle Kula');
  const viewed = (await h.engine.stores.audit.query({})).filter((e) => e.event === 'payload.viewed');
  expect(viewed.map((e) => e.actor.id)).not.toContain('greta');
  await page.context().close();
}, 90_000);
