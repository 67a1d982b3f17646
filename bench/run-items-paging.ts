/**
 * Paging a run's items in the console's way (store/run-items.ts, keyset on the audit entry's seq):
 * a store filled with one run of `--items` items (test/store/run-items-fill.ts, as the run-items
 * test fills it), then every page of 500 read in order with the real paging query, on SQLite and on
 * PostgreSQL (the tests' database, AVLASTA_TEST_DATABASE_URL or localhost:5432/test). Prints the
 * first, last, slowest and median page time per engine, and one SUMMARY line last.
 *
 *   npm run bench:run-items [-- --items 100000]
 */
import { postgresHarness, sqliteHarness, type HarnessFactory } from '../test/audit/engines.js';
import { FILLED_RUN, fillRunItems } from '../test/store/run-items-fill.js';
import { numericArgs } from './lib/args.js';
import { fmt, line, percentile } from './lib/stats.js';

const PAGE = 500;
const args = numericArgs({ items: 100_000 });
if (!Number.isInteger(args.items) || args.items < 1)
  throw new Error('bench:run-items: --items must be a whole number ≥ 1');

interface Paged {
  engine: string;
  fillSeconds: number;
  pages: number[];
}

async function measure(engine: string, factory: HarnessFactory): Promise<Paged> {
  const h = await factory();
  try {
    const stores = await h.open();
    const filling = performance.now();
    await fillRunItems(stores, args.items);
    const fillSeconds = (performance.now() - filling) / 1000;
    const pages: number[] = [];
    let seen = 0;
    let after: string | undefined;
    do {
      const t0 = performance.now();
      const page = await stores.runItems.page(FILLED_RUN, { after, limit: PAGE });
      pages.push(performance.now() - t0);
      seen += page.items.length;
      after = page.next;
    } while (after);
    if (seen !== args.items) throw new Error(`bench:run-items: ${engine} paged ${seen} items of ${args.items}`);
    return { engine, fillSeconds, pages };
  } finally {
    await h.dispose();
  }
}

const pg = postgresHarness();
const results: Paged[] = [];
try {
  results.push(await measure('SQLite', sqliteHarness()));
  results.push(await measure('PostgreSQL', pg.factory));
} finally {
  await pg.dropAll();
}

console.log(`${args.items} items in one run, pages of ${PAGE}`);
for (const r of results) {
  line(`${r.engine}: filled in`, `${fmt(r.fillSeconds)} s`);
  line(
    `${r.engine}: ${r.pages.length} pages, first / last / slowest / p50`,
    `${fmt(r.pages[0])} / ${fmt(r.pages.at(-1)!)} / ${fmt(Math.max(...r.pages))} / ${fmt(percentile(r.pages, 50))} ms`,
  );
}
console.log(
  `SUMMARY run-items-paging: ${args.items} items, pages of ${PAGE}: ${results
    .map(
      (r) =>
        `${r.engine} first ${fmt(r.pages[0])} ms, last ${fmt(r.pages.at(-1)!)} ms, slowest ${fmt(Math.max(...r.pages))} ms, p50 ${fmt(percentile(r.pages, 50))} ms`,
    )
    .join('; ')}`,
);
