/** Ärendesystemet's pages pass axe (WCAG 2.1 A/AA rules) in real Chromium, the calendar included. */
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArende, type RunningArende } from '../../demo/arende/server.js';
import { seedResidents } from '../../demo/arende/residents.js';
import { launchChromium } from '../bots/bot-context.js';

let browser: Browser;
let app: RunningArende;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  app = await startArende({ port: 0, dbFile: ':memory:', username: 'robot', password: 'test-losen', trouble: false });
  page = await (await browser.newContext()).newPage();
  await page.goto(`${app.url}/arenden/nytt`);
  await page.getByLabel('Användarnamn').fill('robot');
  await page.getByLabel('Lösenord').fill('test-losen');
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.getByRole('heading', { name: 'Nytt ärende, steg 1 av 3: Invånare' }).waitFor();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function violations(): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.map((v) => `${v.id}: ${v.help}`);
}

describe('Ärendesystemet accessibility', () => {
  it('has no axe violations on the wizard, its errors, the calendar and the confirmation dialog', async () => {
    await page.getByLabel('Personnummer', { exact: true }).fill(seedResidents()[0].personnummer);
    await page.getByRole('button', { name: 'Nästa' }).click();
    await page.getByRole('heading', { name: /steg 2 av 3/ }).waitFor();
    await page.getByRole('button', { name: 'Nästa' }).click(); // empty form: server-side errors
    await page.getByRole('alert').waitFor();
    expect(await violations()).toEqual([]);

    await page.getByRole('button', { name: 'Välj datum i kalender' }).click();
    await page.getByRole('button', { name: 'Föregående månad' }).click();
    await page.getByRole('button', { name: /^1 / }).click(); // the 1st of last month
    const picked = await page.getByLabel('Ansökningsdatum', { exact: true }).inputValue();
    expect(picked).toMatch(/^\d{4}-\d{2}-01$/);
    await page.getByLabel('Ärendetyp').selectOption({ label: 'Befrielse från skolmåltidsavgift' });
    await page.getByLabel('Beskrivning').fill('Särskild kost');
    await page.getByLabel('Adress enligt ansökan').fill(seedResidents()[0].address);
    await page.getByRole('button', { name: 'Nästa' }).click();
    await page.getByRole('heading', { name: /steg 3 av 3/ }).waitFor();
    await page.getByRole('button', { name: 'Registrera ärende' }).click();
    await expect.poll(() => page.getByRole('dialog', { name: 'Bekräfta registrering' }).isVisible()).toBe(true);
    expect(await violations()).toEqual([]);
  });
});
