/**
 * The unattended demo's stand-in for a person: decides every pending approval of the given runs
 * as one user, through the same path the inbox uses (submitDecision → the workflow's Update).
 */
import type { Client } from '@temporalio/client';
import type { Stores } from '../../store/types.js';
import { submitDecision } from '../../engine/decide.js';

export interface AutoDecider {
  stop(): Promise<void>;
  decided(): number;
}

export function startAutoDecider(opts: {
  client: Client;
  stores: Stores;
  runIds: string[];
  actor: string;
  decision: 'approve' | 'reject';
  onError(message: string): void;
}): AutoDecider {
  let stopped = false;
  let count = 0;
  const seen = new Set<string>();
  const loop = (async () => {
    while (!stopped) {
      for (const runId of opts.runIds) {
        const pending = await opts.stores.approvals.list({ runId, status: ['pending', 'escalated'] });
        for (const a of pending.filter((p) => !seen.has(p.approvalId))) {
          seen.add(a.approvalId);
          const comment =
            opts.decision === 'reject' ? `Demo: rejected by ${opts.actor}` : `Demo: approved by ${opts.actor}`;
          await submitDecision(opts.client, opts.stores, {
            approvalId: a.approvalId,
            decision: opts.decision,
            actor: opts.actor,
            comment,
          }).then(
            () => count++,
            (err: Error) => opts.onError(`${a.approvalId}: ${err.message}`),
          );
        }
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return {
    decided: () => count,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
