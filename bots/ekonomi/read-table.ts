import type { Page } from 'playwright-core';

/**
 * The rows of the first table on the page as objects keyed by column header, so a bot does not
 * depend on column order. Read in one round trip to the page, not one per cell.
 * Empty when the page has no table.
 */
export async function readTable(page: Page): Promise<Array<Record<string, string>>> {
  const tables = page.getByRole('table');
  if ((await tables.count()) === 0) return [];
  // No named helpers inside the page function: tsx (keepNames) would wrap them in a `__name(…)`
  // call that does not exist in the page.
  return tables.first().evaluate((table: HTMLTableElement) => {
    const headers = Array.from(table.querySelectorAll('thead th')).map((cell) => (cell.textContent ?? '').trim());
    return Array.from(table.querySelectorAll('tbody tr')).map((row) => {
      const cells = Array.from(row.querySelectorAll('td, th')).map((cell) => (cell.textContent ?? '').trim());
      return Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? '']));
    });
  });
}
