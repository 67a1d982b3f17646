/** Helpers the engine tests share: waiting for approvals to appear, and fixture paths. */
import { fileURLToPath } from 'node:url';
import type { ApprovalRecord, Stores } from '../../store/types.js';

export const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const automationsDir = `${fixtures}automations`;

/** Polls the inbox until `count` approvals of the run are pending (the workflow writes them). */
export async function waitForPending(
  stores: Stores,
  runId: string,
  count: number,
  timeoutMs = 30_000,
): Promise<ApprovalRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = await stores.approvals.list({ runId, status: ['pending', 'escalated'] });
    if (pending.length >= count) return pending;
    if (Date.now() > deadline)
      throw new Error(`expected ${count} pending approvals for ${runId}, found ${pending.length}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
