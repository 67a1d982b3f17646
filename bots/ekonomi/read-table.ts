import type { Page } from 'playwright-core';

/**
 * The rows of the first table on the page as objects keyed by column header, so a bot does not
 * depend on column order. Empty when the page has no table.
 */
export async function readTable(page: Page): Promise<Array<Record<string, string>>> {
  const table = page.getByRole('table').first();
  if ((await page.getByRole('table').count()) === 0) return [];
  const headers = (await table.getByRole('columnheader').allTextContents()).map((h) => h.trim());
  const out: Array<Record<string, string>> = [];
  for (const row of await table.getByRole('row').all()) {
    const cells = (await row.getByRole('cell').allTextContents()).map((c) => c.trim());
    if (cells.length === 0) continue; // the header row
    out.push(Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? ''])));
  }
  return out;
}
