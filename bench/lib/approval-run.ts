/** Starts a bench-approval run of `n` items and waits until all of them wait for a decision. */
import type { BenchEngine } from './engine.js';
import { sleep } from './stats.js';
import { waitFor } from './wait.js';

export async function startPendingApprovals(engine: BenchEngine, n: number) {
  const runId = await engine.startRun(
    'bench-approval',
    Array.from({ length: n }, (_, i) => ({ ref: `a-${i + 1}` })),
  );
  const pending = await waitFor(
    `${n} pending approvals`,
    async () => {
      const list = await engine.stores.approvals.list({ runId, status: ['pending'] });
      return list.length >= n ? list : undefined;
    },
    300_000,
    250,
  );
  // Let the parked items settle (their signals to the run) before timing.
  await sleep(1000);
  return { runId, pending };
}
