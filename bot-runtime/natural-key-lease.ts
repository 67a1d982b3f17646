/**
 * The leases a job holds while its bot runs: the step's own (its idempotency key: two attempts of
 * one step never act at once, lease.ts) and, for a bot that declares a natural key, a second one
 * on `<system>:<hash of the natural key>`, so that different items naming the same record in a
 * system without a reference field never look it up and create it at the same time. Taken in
 * that order, each waiting (not failing) while another holder's is busy; held, fenced and
 * released together. The natural key goes to Redis only as a sha256 hash (it may hold personal
 * data), and its record lives only as long as it can be busy.
 */
import { createHash } from 'node:crypto';
import type { BotDefinition } from '../bots/define-bot.js';
import { acquireLease, type AcquireOptions, type Lease, type LeaseStore } from './lease.js';

/** The natural-key lease's key for a bot's input, or undefined when the bot declares none. */
export function naturalKeyLease(bot: BotDefinition, system: string, input: unknown): string | undefined {
  if (!bot.naturalKey) return undefined;
  const naturalKey = bot.naturalKey(input);
  if (typeof naturalKey !== 'string' || naturalKey.trim() === '')
    throw new Error(`${bot.id}: naturalKey(input) must return a non-empty text`);
  return `nk:${system}:${createHash('sha256').update(`${system}\u0000${naturalKey}`).digest('hex')}`;
}

export async function acquireJobLeases(
  store: LeaseStore,
  opts: AcquireOptions & { naturalKey?: string },
): Promise<Lease> {
  const step = await acquireLease(store, opts);
  if (!opts.naturalKey) return step;
  let record: Lease;
  try {
    record = await acquireLease(store, {
      ...opts,
      key: opts.naturalKey,
      // Different items share this key, so an attempt number says nothing about its holders.
      attempt: 1,
      signal: AbortSignal.any([opts.signal, step.signal]),
      keepRecordMs: opts.timing.heartbeatTimeoutMs * 2,
      heldBy: 'a job with the same natural key',
    });
  } catch (err) {
    await step.release(false);
    throw err;
  }
  return {
    signal: AbortSignal.any([step.signal, record.signal]),
    mayAct: () => step.mayAct() && record.mayAct(),
    async release(requestsAbandoned) {
      await Promise.all([record.release(requestsAbandoned), step.release(requestsAbandoned)]);
    },
  };
}
