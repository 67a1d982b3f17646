/**
 * A run's items read from the audit log (store/run-items.ts) on SQLite and PostgreSQL: every item
 * once across keyset pages, the outcome filter, and the failed step, attempts, reason and evidence
 * of a failed item, over a run of ITEMS items beside another run.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { postgresHarness, sqliteHarness, type HarnessFactory } from '../audit/engines.js';
import { FILLED_RUN, fillRunItems, isFailedItem } from './run-items-fill.js';

/** Times per page at a city-sized run: bench/run-items-paging.ts. */
const ITEMS = 5000;

const pg = postgresHarness();
afterAll(() => pg.dropAll());

describe.each([
  ['SQLite', sqliteHarness()],
  ['PostgreSQL', pg.factory],
] as [string, HarnessFactory][])('run items on %s', (_engine, factory) => {
  it(`pages ${ITEMS} items by keyset, each once, and a failed item's step, attempts, reason and evidence`, async () => {
    const h = await factory();
    try {
      const s = await h.open();
      await fillRunItems(s, ITEMS);

      const seen = new Set<string>();
      let after: string | undefined;
      do {
        const page = await s.runItems.page(FILLED_RUN, { after, limit: 500 });
        for (const item of page.items) {
          expect(seen.has(item.key)).toBe(false);
          seen.add(item.key);
        }
        after = page.next;
      } while (after);
      expect(seen.size).toBe(ITEMS);

      const failed = await s.runItems.page(FILLED_RUN, { outcome: 'failed', limit: 2 });
      expect(failed.items).toEqual([
        expect.objectContaining({
          key: 'K-3',
          outcome: 'failed',
          step: 'work',
          attempts: 3,
          reason: 'test.gate: HTTP 503',
          artifacts: [`/data/artifacts/${FILLED_RUN}/K-3/work-attempt3-failure.png`],
        }),
        expect.objectContaining({ key: 'K-13', outcome: 'failed' }),
      ]);
      let failedCount = 0;
      after = undefined;
      do {
        const page = await s.runItems.page(FILLED_RUN, { outcome: 'failed', after, limit: 500 });
        failedCount += page.items.length;
        expect(page.items.every((i) => i.outcome === 'failed')).toBe(true);
        after = page.next;
      } while (after);
      expect(failedCount).toBe(Array.from({ length: ITEMS }, (_, i) => i).filter(isFailedItem).length);
    } finally {
      await h.dispose();
    }
  }, 120_000);
});
