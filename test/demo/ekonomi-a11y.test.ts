import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEkonomi, type RunningEkonomi } from '../../demo/ekonomi/server.js';
import { launchChromium } from '../bots/bot-context.js';

let browser: Browser;
let app: RunningEkonomi;
let page: Page;

async function violations(): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
}

beforeAll(async () => {
  browser = await launchChromium();
  app = await startEkonomi({ port: 0, dbFile: ':memory:', username: 'robot', password: 'hemligt', trouble: false });
  page = await (await browser.newContext()).newPage();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('Ekonomisystemet is accessible (axe, WCAG 2 A/AA)', () => {
  it('login page, form with errors, receipt, list and supplier search', async () => {
    await page.goto(`${app.url}/fakturor/ny`);
    expect(await violations()).toEqual([]);
    await page.getByLabel('Användarnamn').fill('robot');
    await page.getByLabel('Lösenord').fill('hemligt');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('heading', { name: 'Registrera leverantörsfaktura' }).waitFor();
    await page.getByRole('button', { name: 'Registrera faktura' }).click();
    await page.getByRole('alert').waitFor();
    expect(await violations()).toEqual([]);
    await page.getByLabel('Fakturanummer').fill('A-1');
    await page.getByLabel('Organisationsnummer').fill('559900-0014');
    await page.getByLabel('Belopp (kr)').fill('100,00');
    await page.getByLabel('Förfallodatum').fill('2099-01-01');
    await page.getByLabel('Kostnadsställe').selectOption('1100');
    await page.getByRole('button', { name: 'Registrera faktura' }).click();
    await page.getByTestId('registreringsnummer').waitFor();
    expect(await violations()).toEqual([]);
    await page.goto(`${app.url}/fakturor`);
    expect(await violations()).toEqual([]);
    await page.goto(`${app.url}/leverantorer?orgnr=559900`);
    expect(await violations()).toEqual([]);
  });

  it('contact persons: the form with errors, and the list', async () => {
    await page.goto(`${app.url}/leverantorer/kontakter/ny`);
    await page.getByRole('button', { name: 'Spara kontaktperson' }).click();
    await page.getByRole('alert').waitFor();
    expect(await violations()).toEqual([]);
    await page.getByLabel('Organisationsnummer').fill('559900-0014');
    await page.getByLabel('Namn').fill('Karin Berg');
    await page.getByLabel('E-post').fill('karin.berg@example.com');
    await page.getByRole('button', { name: 'Spara kontaktperson' }).click();
    await page.getByRole('table').waitFor();
    expect(await violations()).toEqual([]);
  });
});
