/**
 * What the Chromium tests of the staff pages share: a browser on the server listening on port 0,
 * pages in Swedish, axe-core (WCAG 2.1 AA) on a page followed by its screenshot (test/support/screenshots.ts), and
 * signing in with the mouse.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { chromiumArgs } from '../../bot-runtime/browser-pool.js';
import { chromiumPath } from '../support/chromium-path.js';
import { screenshotFile } from '../support/screenshots.js';
import { PASSWORD } from './server-harness.js';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}

export async function newPage(browser: Browser, baseURL: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, locale: 'sv-SE', viewport: { width: 1200, height: 900 } });
  return context.newPage();
}

/** axe-core on the page as it is now, then a screenshot for the docs. */
export async function checkPage(page: Page, name: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(bad, `axe on ${name}`).toEqual([]);
  await page.screenshot({ path: screenshotFile(name), fullPage: true });
}

export async function signInWithMouse(page: Page, user: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Användar-id').fill(user);
  await page.getByLabel('Lösenord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.waitForURL('**/inbox');
}
