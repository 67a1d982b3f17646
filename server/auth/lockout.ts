/**
 * Locks an account after repeated failed sign-ins. Counted per account id (known or not, so the
 * answer does not reveal which ids exist), in memory of this server process.
 */
export interface LockoutOptions {
  /** @defaultValue 5 */
  maxFailures?: number;
  /** @defaultValue 15 minutes */
  lockMs?: number;
  now?: () => number;
}

interface Entry {
  failures: number;
  lockedUntil?: number;
}

export class LoginLockout {
  private readonly entries = new Map<string, Entry>();
  private readonly maxFailures: number;
  private readonly lockMs: number;
  private readonly now: () => number;

  constructor(opts: LockoutOptions = {}) {
    this.maxFailures = opts.maxFailures ?? 5;
    this.lockMs = opts.lockMs ?? 15 * 60_000;
    this.now = opts.now ?? Date.now;
  }

  /** When the account is locked, the time it opens again (ms since epoch). */
  lockedUntil(account: string): number | undefined {
    const e = this.entries.get(account);
    if (!e?.lockedUntil) return undefined;
    if (e.lockedUntil <= this.now()) {
      this.entries.delete(account);
      return undefined;
    }
    return e.lockedUntil;
  }

  recordFailure(account: string): void {
    const e = this.entries.get(account) ?? { failures: 0 };
    e.failures += 1;
    if (e.failures >= this.maxFailures) e.lockedUntil = this.now() + this.lockMs;
    this.entries.set(account, e);
  }

  recordSuccess(account: string): void {
    this.entries.delete(account);
  }
}
