/**
 * The baseline a city would write instead of Avlasta: one Chromium, `slots` loops pulling rows
 * from the spreadsheet, a new browser context per row, the same page steps (fillForm).
 */
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../bot-runtime/browser-pool.js';
import { fillForm, type FormRow } from '../fixtures/bench-bots.js';

export async function launchBaselineBrowser(): Promise<Browser> {
  return launchChromium(process.env.AVLASTA_CHROMIUM || undefined);
}

/** Processes every row; returns the elapsed milliseconds. */
export async function plainPlaywrightLoop(
  browser: Browser,
  baseUrl: string,
  rows: (FormRow & { ref: string })[],
  slots: number,
): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  const loop = async () => {
    while (next < rows.length) {
      const row = rows[next++];
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await fillForm(page, baseUrl, row.ref, row);
      } finally {
        await context.close();
      }
    }
  };
  await Promise.all(Array.from({ length: slots }, loop));
  return performance.now() - t0;
}

export function formRows(prefix: string, n: number): (FormRow & { ref: string })[] {
  return Array.from({ length: n }, (_, i) => ({
    ref: `${prefix}-${i + 1}`,
    name: `Leverantör ${i + 1} AB`,
    orgnr: `55${String(100000 + i).slice(-6)}-1234`,
    amount: 100 + (i % 900),
    note: `Faktura ${i + 1} enligt avtal`,
  }));
}
