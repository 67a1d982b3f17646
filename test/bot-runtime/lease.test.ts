/**
 * The step lease (bot-runtime/lease.ts) against real Redis, with the timing of a 3 s heartbeat
 * timeout: in-flight margin 1 s, close allowance 0.5 s, validity 1.5 s, renewal every 0.5 s.
 * Losing the record is what FLUSHALL or a Redis restart does; these tests delete their own key
 * instead of flushing the shared Redis.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { acquireLease, createLeaseStore } from '../../bot-runtime/lease.js';
import { createBotRuntimeLogger } from '../../bot-runtime/logger.js';
import { botFenceTiming } from '../../temporal/bot-step-timing.js';

const timing = botFenceTiming(3_000);
/** Room for a busy machine's late timers. */
const slack = 300;
const prefix = `avlasta-test-lease-${randomUUID().slice(0, 8)}`;
const store = createLeaseStore(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix);
const log = createBotRuntimeLogger('silent');
const never = new AbortController().signal;
const take = (key: string, holder: string, attempt = 1) =>
  acquireLease(store, { key, holder, attempt, timing, signal: never, log });

afterAll(async () => {
  const keys = await store.redis.keys(`${prefix}:*`);
  if (keys.length) await store.redis.del(...keys);
  await store.close();
});

it('a second attempt waits while the first holds the lease, and starts at once after a clean release', async () => {
  const first = await take('k1', 'a/1');
  let secondAt = 0;
  const second = take('k1', 'b/2', 2).then((lease) => ((secondAt = Date.now()), lease));
  await new Promise((r) => setTimeout(r, timing.leaseTtlMs + timing.inFlightMarginMs)); // the first renews all along
  expect(secondAt).toBe(0);
  expect(first.mayAct()).toBe(true);
  const releasedAt = Date.now();
  await first.release(false);
  const lease = await second;
  expect(secondAt - releasedAt).toBeLessThan(timing.leaseRenewMs + slack);
  await lease.release(false);
});

it('keeps the key busy for the in-flight margin when the holder closed with requests unanswered', async () => {
  const first = await take('k2', 'a/1');
  await first.release(true);
  const releasedAt = Date.now();
  const second = await take('k2', 'b/2', 2);
  expect(Date.now() - releasedAt).toBeGreaterThanOrEqual(timing.inFlightMarginMs - 20);
  await second.release(false);
});

it('a holder whose record vanished (FLUSHALL) stops acting at its next renewal', async () => {
  const lease = await take('k3', 'a/1');
  await store.redis.del(`${prefix}:lease:k3`);
  await new Promise((r) => setTimeout(r, timing.leaseRenewMs * 2 + slack));
  expect(lease.signal.aborted).toBe(true);
  expect(lease.mayAct()).toBe(false);
});

it('a holder cut off from Redis stops acting before its validity ends', async () => {
  const own = createLeaseStore(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix);
  const lease = await acquireLease(own, { key: 'k4', holder: 'a/1', attempt: 1, timing, signal: never, log });
  const cutAt = Date.now();
  own.redis.disconnect(); // every renewal fails from now on
  while (!lease.signal.aborted && Date.now() - cutAt < timing.leaseTtlMs * 2)
    await new Promise((r) => setTimeout(r, 10));
  expect(lease.mayAct()).toBe(false);
  expect(Date.now() - cutAt).toBeLessThanOrEqual(timing.leaseTtlMs - timing.closeAllowanceMs + slack);
});

it('an attempt after the first that finds no record waits out any holder Redis forgot', async () => {
  const started = Date.now();
  const lease = await take('k5', 'b/2', 2);
  expect(Date.now() - started).toBeGreaterThanOrEqual(timing.leaseTtlMs + timing.inFlightMarginMs - 20);
  await lease.release(false);
  const fresh = Date.now();
  const first = await take('k6', 'a/1', 1);
  expect(Date.now() - fresh).toBeLessThan(timing.leaseRenewMs);
  await first.release(false);
});
