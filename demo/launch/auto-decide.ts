/**
 * The unattended demo's stand-in for a person: decides every pending approval of the given runs
 * as one person from users.yaml, through the engine's one decision path (the same role, four-eyes
 * and audit as the inbox; its audit entries say `via: demo`).
 */
import type { Client } from '@temporalio/client';
import type { Stores } from '../../store/types.js';
import { submitDecision } from '../../engine/decide.js';
import type { Decider } from '../../workflows/messages.js';

export interface AutoDecider {
  stop(): Promise<void>;
  decided(): number;
}

export function startAutoDecider(opts: {
  client: Client;
  stores: Stores;
  runIds: string[];
  /** The person, as users.yaml knows them (their roles decide what they may decide). */
  actor: Decider;
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
          await submitDecision(
            opts,
            opts.actor,
            {
              approvalId: a.approvalId,
              decision: opts.decision,
              comment: opts.decision === 'reject' ? `Demo: rejected by ${opts.actor.id}` : undefined,
            },
            'demo',
          ).then(
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
