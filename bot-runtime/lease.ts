/**
 * A lease per idempotency key in Redis: one job at a time may act on a step's key in the target
 * system. The holder renews it while its bot runs and stops acting (closes its browser context)
 * before its validity ends; whoever comes next takes it only once the holder's validity has ended
 * and the in-flight margin has passed, so a request the holder sent last has landed before the
 * next attempt looks the key up. docs/ARCHITECTURE.md, "Two attempts of a step never overlap".
 *
 * The record is `<holder>|<busyUntil>` (Redis server time, ms), kept for a day after its last
 * use. Its presence is the proof that a holder's end is known: when it is absent for an attempt
 * after the first, Redis has lost its memory (FLUSHALL, a restart) and an earlier holder may still
 * be acting without it, so the new holder waits out the longest such a holder could act.
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { BotFenceTiming } from '../temporal/bot-step-timing.js';

/** How long a record outlives its holder: longer than any step's retries take. */
const keepRecordMs = 24 * 3600_000;

// KEYS[1] lease; ARGV holder, ttlMs, marginMs, keepMs. → {1, known} taken, or {0, waitMs} busy.
const acquireScript = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local rec = redis.call('GET', KEYS[1])
local known = 0
if rec then
  known = 1
  local holder, busy = string.match(rec, '^(.*)|(%d+)$')
  if holder ~= ARGV[1] and tonumber(busy) > now then return {0, tonumber(busy) - now} end
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. (now + tonumber(ARGV[2]) + tonumber(ARGV[3])), 'PX', ARGV[4])
return {1, known}`;

// KEYS[1] lease; ARGV holder, busyForMs, keepMs. Sets busyUntil = now + busyForMs if still ours.
const extendScript = `
local rec = redis.call('GET', KEYS[1])
if not rec or string.match(rec, '^(.*)|%d+$') ~= ARGV[1] then return 0 end
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. (now + tonumber(ARGV[2])), 'PX', ARGV[3])
return 1`;

export interface LeaseStore {
  redis: Redis;
  prefix: string;
  close(): Promise<void>;
}

/**
 * Its own connection: lease calls must fail fast when Redis is away (BullMQ's connection waits
 * for ever), since a renewal that hangs is a renewal that did not happen.
 */
export function createLeaseStore(redisUrl: string, prefix: string): LeaseStore {
  const redis = new Redis(redisUrl, {
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    commandTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  redis.on('error', () => undefined); // every caller sees its own command fail
  return {
    redis,
    prefix,
    close: () =>
      redis.quit().then(
        () => undefined,
        () => redis.disconnect(),
      ),
  };
}

export type LeaseLoss = 'lease-lost';

export interface Lease {
  /** Aborted when the lease can no longer be trusted to last until the context is closed. */
  readonly signal: AbortSignal;
  /** True while the holder may still send a request to the target system. */
  mayAct(): boolean;
  /**
   * Ends the lease. `requestsAbandoned`: requests were in flight when the context closed, so the
   * key stays busy for the in-flight margin; otherwise the next attempt may start at once.
   */
  release(requestsAbandoned: boolean): Promise<void>;
}

export interface AcquireOptions {
  key: string;
  holder: string;
  attempt: number;
  timing: BotFenceTiming;
  /** Waiting stops (and acquire throws its reason) when this aborts: the attempt is no longer wanted. */
  signal: AbortSignal;
  log: Logger;
  /** How long the record outlives its last use. @defaultValue a day (longer than a step's retries take) */
  keepRecordMs?: number;
  /** Who may hold the key meanwhile, for the log line while waiting. @defaultValue 'an earlier attempt' */
  heldBy?: string;
}

/**
 * Takes the key's lease, waiting while another holder's is busy; for an attempt after the first
 * whose record Redis has lost, also waits out the longest an unknown earlier holder could act.
 */
export async function acquireLease(store: LeaseStore, opts: AcquireOptions): Promise<Lease> {
  const { timing, holder, log } = opts;
  const key = `${store.prefix}:lease:${opts.key}`;
  const busyForMs = timing.leaseTtlMs + timing.inFlightMarginMs;
  let validUntil = 0;
  for (;;) {
    opts.signal.throwIfAborted();
    await connected(store.redis, timing.leaseTtlMs);
    const sentAt = Date.now();
    const [taken, value] = (await store.redis.eval(
      acquireScript,
      1,
      key,
      holder,
      timing.leaseTtlMs,
      timing.inFlightMarginMs,
      opts.keepRecordMs ?? keepRecordMs,
    )) as [number, number];
    if (taken === 1) {
      validUntil = sentAt + timing.leaseTtlMs;
      if (value === 0 && opts.attempt > 1) {
        log.warn({ waitMs: busyForMs }, 'lease record missing (Redis lost it): waiting out any earlier holder');
        const lease = holdLease(store, key, opts, validUntil);
        await sleep(busyForMs, AbortSignal.any([opts.signal, lease.signal]));
        return lease;
      }
      return holdLease(store, key, opts, validUntil);
    }
    log.info({ waitMs: value }, `lease busy: ${opts.heldBy ?? 'an earlier attempt'} may still act; waiting`);
    await sleep(Math.min(value + 50, timing.leaseRenewMs), opts.signal);
  }
}

function holdLease(store: LeaseStore, key: string, opts: AcquireOptions, firstValidUntil: number): Lease {
  const { timing, holder, log } = opts;
  const controller = new AbortController();
  let validUntil = firstValidUntil;
  let released = false;
  const extend = (busyForMs: number) =>
    store.redis.eval(extendScript, 1, key, holder, busyForMs, opts.keepRecordMs ?? keepRecordMs) as Promise<number>;
  const lose = (why: string) => {
    if (controller.signal.aborted) return;
    log.warn({ why }, 'lease lost; closing the browser context');
    controller.abort(new Error(`lease lost: ${why}`));
  };
  // The holder may act until its validity, less the time closing its context may take.
  const mayAct = () => !controller.signal.aborted && Date.now() < validUntil - timing.closeAllowanceMs;
  let renewing = false;
  const renew = async () => {
    if (renewing || released) return;
    renewing = true;
    const sentAt = Date.now();
    try {
      const ok = await extend(timing.leaseTtlMs + timing.inFlightMarginMs);
      if (ok === 1) validUntil = Math.max(validUntil, sentAt + timing.leaseTtlMs);
      else lose('the record is gone or another holder has it');
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'lease renewal failed');
    } finally {
      renewing = false;
    }
  };
  const renewTimer = setInterval(() => void renew(), timing.leaseRenewMs);
  // A separate, frequent check: the fence holds even when every renewal call hangs.
  const watchdog = setInterval(
    () => {
      if (!mayAct()) lose('not renewed in time');
    },
    Math.max(50, Math.round(timing.closeAllowanceMs / 5)),
  );
  renewTimer.unref();
  watchdog.unref();
  return {
    signal: controller.signal,
    mayAct,
    async release(requestsAbandoned) {
      released = true;
      clearInterval(renewTimer);
      clearInterval(watchdog);
      // Does nothing when the record is no longer ours; then it expires by itself.
      await extend(requestsAbandoned ? timing.inFlightMarginMs : 0).catch((err: Error) =>
        log.warn({ err: err.message }, 'lease release failed; it expires by itself'),
      );
    },
  };
}

/** Waits (up to `ms`) for a connection being made: commands are refused, not queued, until then. */
async function connected(redis: Redis, ms: number): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve) => {
    const done = () => (clearTimeout(timer), redis.off('ready', done), resolve());
    const timer = setTimeout(done, ms);
    redis.once('ready', done);
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
