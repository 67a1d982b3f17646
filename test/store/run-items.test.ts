/**
 * A run's items read from the audit log (store/run-items.ts) on SQLite and PostgreSQL: every item
 * once across keyset pages, the outcome filter, and the failed step, attempts, reason and evidence
 * of a failed item, over a run of ITEMS items beside another run.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditEntryInput } from '../../audit/types.js';
import { postgresHarness, sqliteHarness, type HarnessFactory } from '../audit/engines.js';

/** Items of the run; AVLASTA_RUN_ITEMS=100000 measures a city-sized batch (the figures in docs/OPERATING.md). */
const ITEMS = Number(process.env.AVLASTA_RUN_ITEMS ?? 5000);
const RUN = 'run.test-console.big';
const failedKey = (i: number) => i % 10 === 3;

function entries(): AuditEntryInput[] {
  const out: AuditEntryInput[] = [];
  const base = { actor: { kind: 'system' as const, id: 'engine' }, automationId: 'test-console', runId: RUN };
  for (let i = 0; i < ITEMS; i++) {
    const itemKey = `K-${i}`;
    if (failedKey(i)) {
      out.push({ ...base, event: 'step.retried', itemKey, stepId: 'work', details: { attempt: 2 } });
      out.push({
        ...base,
        event: 'step.failed',
        itemKey,
        stepId: 'work',
        details: { attempt: 3, error: 'HTTP 503' },
        artifacts: [`/data/artifacts/${RUN}/${itemKey}/work-attempt3-failure.png`],
      });
      out.push({ ...base, event: 'item.failed', itemKey, details: { error: 'test.gate: HTTP 503' } });
    } else out.push({ ...base, event: 'item.completed', itemKey, details: {} });
    // Another run's item with the same key, which no page of this run may show.
    if (i % 100 === 0) out.push({ ...base, runId: 'run.other', event: 'item.failed', itemKey, details: {} });
  }
  return out;
}

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
      const all = entries();
      for (let i = 0; i < all.length; i += 5000) await s.audit.append(all.slice(i, i + 5000));

      const seen = new Set<string>();
      const timings: number[] = [];
      let after: string | undefined;
      do {
        const t0 = performance.now();
        const page = await s.runItems.page(RUN, { after, limit: 500 });
        timings.push(performance.now() - t0);
        for (const item of page.items) {
          expect(seen.has(item.key)).toBe(false);
          seen.add(item.key);
        }
        after = page.next;
      } while (after);
      expect(seen.size).toBe(ITEMS);

      const failed = await s.runItems.page(RUN, { outcome: 'failed', limit: 2 });
      expect(failed.items).toEqual([
        expect.objectContaining({
          key: 'K-3',
          outcome: 'failed',
          step: 'work',
          attempts: 3,
          reason: 'test.gate: HTTP 503',
          artifacts: [`/data/artifacts/${RUN}/K-3/work-attempt3-failure.png`],
        }),
        expect.objectContaining({ key: 'K-13', outcome: 'failed' }),
      ]);
      let failedCount = 0;
      after = undefined;
      do {
        const page = await s.runItems.page(RUN, { outcome: 'failed', after, limit: 500 });
        failedCount += page.items.length;
        expect(page.items.every((i) => i.outcome === 'failed')).toBe(true);
        after = page.next;
      } while (after);
      expect(failedCount).toBe(Array.from({ length: ITEMS }, (_, i) => i).filter(failedKey).length);
      if (process.env.AVLASTA_RUN_ITEMS)
        console.log(
          `${_engine}: ${timings.length} pages of 500, first ${timings[0].toFixed(1)} ms, last ${timings.at(-1)!.toFixed(1)} ms, slowest ${Math.max(...timings).toFixed(1)} ms`,
        );
    } finally {
      await h.dispose();
    }
  }, 120_000);
});
