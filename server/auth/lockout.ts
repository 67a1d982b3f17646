/**
 * Throttles failed sign-ins. Counting per account alone would let anyone lock any approver out by
 * guessing wrong five times; so an account is locked only for the address the failures came from,
 * an address that fails across many accounts is locked for all of them (password spraying), and
 * only a flood from many addresses locks an account everywhere. Accounts are counted known or not,
 * so the answer does not reveal which ids exist. The counts live in the database
 * (store/login-throttle.ts): a restart or a second API server does not reset them.
 */
import type { LoginThrottle, ThrottleLimit } from '../../store/types.js';

export interface LockoutOptions {
  /** Failures of one account from one address before that pair is locked. @defaultValue 5 */
  maxFailures?: number;
  /** Failures from one address, over any accounts, before the address is locked. @defaultValue 20 */
  maxFailuresPerAddress?: number;
  /** Failures of one account from all addresses before it is locked everywhere. @defaultValue 100 */
  maxFailuresPerAccount?: number;
  /** How long a lock lasts; also the window failures are counted in. @defaultValue 15 minutes */
  lockMs?: number;
  now?: () => number;
}

export class LoginLockout {
  private readonly maxFailures: number;
  private readonly maxPerAddress: number;
  private readonly maxPerAccount: number;
  private readonly lockMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: LoginThrottle,
    opts: LockoutOptions = {},
  ) {
    this.maxFailures = opts.maxFailures ?? 5;
    this.maxPerAddress = opts.maxFailuresPerAddress ?? 20;
    this.maxPerAccount = opts.maxFailuresPerAccount ?? 100;
    this.lockMs = opts.lockMs ?? 15 * 60_000;
    this.now = opts.now ?? Date.now;
  }

  private limits(account: string, address: string): ThrottleLimit[] {
    const rule = (key: string, max: number) => ({ key, max, windowMs: this.lockMs, lockMs: this.lockMs });
    return [
      rule(`account-at-address:${account} ${address}`, this.maxFailures),
      rule(`address:${address}`, this.maxPerAddress),
      rule(`account:${account}`, this.maxPerAccount),
    ];
  }

  /** When this account may not sign in from this address, the time that ends (ms since epoch). */
  lockedUntil(account: string, address: string): Promise<number | undefined> {
    return this.store.lockedUntil(
      this.limits(account, address).map((l) => l.key),
      this.now(),
    );
  }

  /** Counts a failure; returns when the lock it caused (or one already in force) ends. */
  recordFailure(account: string, address: string): Promise<number | undefined> {
    return this.store.recordFailure(this.limits(account, address), this.now());
  }

  /** A right password clears the pair's count only: an attacker's address stays counted. */
  recordSuccess(account: string, address: string): Promise<void> {
    return this.store.clear([this.limits(account, address)[0].key]);
  }
}
