/**
 * The suite's flaky target system: Ekonomisystemet (demo/ekonomi) with its own SQLite database,
 * in the suite's process, with harder trouble than the demo's: 10 % HTTP 503, the session dropped
 * on every 15th request, slow pages; and a slowdown the suite switches on as a fault.
 */
import { join } from 'node:path';
import { Trouble, resolveTrouble } from '../demo/common/index.js';
import { startEkonomi } from '../demo/ekonomi/server.js';

export const targetCredentials = { username: 'kaos-robot', password: 'kaos-losen' };

export interface ChaosTarget {
  url: string;
  /** Every request waits this much longer while set (0 = off). */
  setSlowdown(ms: number): void;
  /** Invoice number → rows registered with it, from the target's own database. */
  rowsByInvoice(): Map<string, number>;
  close(): Promise<void>;
}

export async function startChaosTarget(dir: string, seed: number): Promise<ChaosTarget> {
  const trouble = new Trouble(
    resolveTrouble({ errorRate: 0.1, sessionExpiryEvery: 15, sessionExpiryRate: 0, slowRate: 0.1, slowMs: 1500, seed }),
  );
  const running = await startEkonomi({
    port: 0,
    dbFile: join(dir, 'ekonomi.db'),
    ...targetCredentials,
    trouble,
  });
  return {
    url: running.url,
    setSlowdown: (ms) => (trouble.slowdownMs = ms),
    rowsByInvoice() {
      const rows = running.db.raw
        .prepare('SELECT invoice_number AS key, count(*) AS n FROM invoices GROUP BY invoice_number')
        .all() as { key: string; n: number }[];
      return new Map(rows.map((r) => [r.key, r.n]));
    },
    close: () => running.close(),
  };
}
