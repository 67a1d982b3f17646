/**
 * Failed sign-ins counted per key (an account at an address, an address, an account), kept in the
 * database so a lock-out holds across restarts and across API servers. The counting rule is one
 * pure function; each engine only reads and writes a row inside its own transaction.
 */
import type { Database, Transaction } from 'better-sqlite3';
import type { Pool } from 'pg';
import { inTransaction } from './postgres-transaction.js';
import type { LoginThrottle, ThrottleLimit } from './types.js';

export const sqliteThrottleDdl = `
CREATE TABLE IF NOT EXISTS login_throttle (
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  window_started_at INTEGER NOT NULL,
  locked_until INTEGER
);
`;

export function postgresThrottleDdl(s: string): string {
  return `
CREATE TABLE IF NOT EXISTS ${s}.login_throttle (
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  window_started_at BIGINT NOT NULL,
  locked_until BIGINT
);
`;
}

interface ThrottleRow {
  failures: number;
  windowStartedAt: number;
  lockedUntil: number | null;
}

/** Rows idle this long are forgotten. */
const FORGET_AFTER_MS = 24 * 3_600_000;

/** One more failure: a window of `windowMs` counts failures; reaching `max` locks for `lockMs`. */
export function afterFailure(row: ThrottleRow | undefined, limit: ThrottleLimit, now: number): ThrottleRow {
  const fresh =
    !row || row.windowStartedAt + limit.windowMs <= now || (row.lockedUntil !== null && row.lockedUntil <= now);
  const failures = fresh ? 1 : row.failures + 1;
  const windowStartedAt = fresh ? now : row.windowStartedAt;
  const locked = !fresh && row.lockedUntil !== null && row.lockedUntil > now;
  return {
    failures,
    windowStartedAt,
    lockedUntil: locked ? row.lockedUntil : failures >= limit.max ? now + limit.lockMs : null,
  };
}

const latest = (times: (number | null | undefined)[], now: number) => {
  const open = times.filter((t): t is number => typeof t === 'number' && t > now);
  return open.length ? Math.max(...open) : undefined;
};

export class SqliteLoginThrottle implements LoginThrottle {
  private readonly fail: Transaction<(limits: ThrottleLimit[], now: number) => (number | null)[]>;

  constructor(private readonly db: Database) {
    const read = db.prepare(
      'SELECT failures, window_started_at AS windowStartedAt, locked_until AS lockedUntil FROM login_throttle WHERE key = ?',
    );
    const write = db.prepare(
      `INSERT INTO login_throttle (key, failures, window_started_at, locked_until) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, window_started_at = excluded.window_started_at, locked_until = excluded.locked_until`,
    );
    const forget = db.prepare(
      'DELETE FROM login_throttle WHERE window_started_at < ? AND (locked_until IS NULL OR locked_until < ?)',
    );
    this.fail = db.transaction((limits, now) => {
      forget.run(now - FORGET_AFTER_MS, now);
      return limits.map((limit) => {
        const next = afterFailure(read.get(limit.key) as ThrottleRow | undefined, limit, now);
        write.run(limit.key, next.failures, next.windowStartedAt, next.lockedUntil);
        return next.lockedUntil;
      });
    });
  }

  async lockedUntil(keys: string[], now: number): Promise<number | undefined> {
    const rows = this.db
      .prepare(`SELECT locked_until AS t FROM login_throttle WHERE key IN (${keys.map(() => '?').join(', ')})`)
      .all(...keys) as { t: number | null }[];
    return latest(
      rows.map((r) => r.t),
      now,
    );
  }

  async recordFailure(limits: ThrottleLimit[], now: number): Promise<number | undefined> {
    return latest(this.fail.immediate(limits, now), now);
  }

  async clear(keys: string[]): Promise<void> {
    this.db.prepare(`DELETE FROM login_throttle WHERE key IN (${keys.map(() => '?').join(', ')})`).run(...keys);
  }
}

export class PostgresLoginThrottle implements LoginThrottle {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {}

  async lockedUntil(keys: string[], now: number): Promise<number | undefined> {
    const res = await this.pool.query<{ t: string | null }>(
      `SELECT locked_until AS t FROM ${this.schema}.login_throttle WHERE key = ANY($1)`,
      [keys],
    );
    return latest(
      res.rows.map((r) => (r.t === null ? null : Number(r.t))),
      now,
    );
  }

  async recordFailure(limits: ThrottleLimit[], now: number): Promise<number | undefined> {
    const until = await inTransaction(this.pool, async (client) => {
      await client.query(
        `DELETE FROM ${this.schema}.login_throttle WHERE window_started_at < $1 AND (locked_until IS NULL OR locked_until < $2)`,
        [now - FORGET_AFTER_MS, now],
      );
      const locks: (number | null)[] = [];
      for (const limit of limits) {
        // The row is created first so FOR UPDATE has something to lock when two servers count at once.
        await client.query(
          `INSERT INTO ${this.schema}.login_throttle (key, failures, window_started_at) VALUES ($1, 0, $2) ON CONFLICT (key) DO NOTHING`,
          [limit.key, now],
        );
        const res = await client.query<{ failures: number; w: string; l: string | null }>(
          `SELECT failures, window_started_at AS w, locked_until AS l FROM ${this.schema}.login_throttle WHERE key = $1 FOR UPDATE`,
          [limit.key],
        );
        const r = res.rows[0];
        const next = afterFailure(
          r.failures === 0
            ? undefined
            : { failures: r.failures, windowStartedAt: Number(r.w), lockedUntil: r.l === null ? null : Number(r.l) },
          limit,
          now,
        );
        await client.query(
          `UPDATE ${this.schema}.login_throttle SET failures = $2, window_started_at = $3, locked_until = $4 WHERE key = $1`,
          [limit.key, next.failures, next.windowStartedAt, next.lockedUntil],
        );
        locks.push(next.lockedUntil);
      }
      return locks;
    });
    return latest(until, now);
  }

  async clear(keys: string[]): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.schema}.login_throttle WHERE key = ANY($1)`, [keys]);
  }
}
