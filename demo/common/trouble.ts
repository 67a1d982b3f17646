/**
 * "Trouble": the everyday misbehaviour of a legacy system, on by default at low rates so that bots
 * are written to survive it — slow pages, an occasional HTTP 503 and sessions that expire at random
 * (or every Nth request). Every decision is drawn from a seeded PRNG so a test with a fixed seed
 * sees the same trouble. A slowdown can be switched on while the system runs: the chaos suite
 * makes it slower than a bot step's timeout for a while.
 */
import { seededRandom, type Random } from './prng.js';

export interface TroubleOptions {
  /** Share of requests delayed by a random 0..slowMs. @defaultValue 0.05 */
  slowRate: number;
  /** Upper bound of the extra delay in ms. @defaultValue 800 */
  slowMs: number;
  /** Share of requests answered with HTTP 503. @defaultValue 0.02 */
  errorRate: number;
  /** Share of logged-in requests whose session is dropped first (forcing a new login). @defaultValue 0.01 */
  sessionExpiryRate: number;
  /** Also drop the session on every Nth logged-in request; 0 = never. @defaultValue 0 */
  sessionExpiryEvery: number;
  /** PRNG seed. @defaultValue 1 */
  seed: number;
}

export const defaultTrouble: TroubleOptions = {
  slowRate: 0.05,
  slowMs: 800,
  errorRate: 0.02,
  sessionExpiryRate: 0.01,
  sessionExpiryEvery: 0,
  seed: 1,
};
export const noTrouble: TroubleOptions = {
  slowRate: 0,
  slowMs: 0,
  errorRate: 0,
  sessionExpiryRate: 0,
  sessionExpiryEvery: 0,
  seed: 1,
};

/**
 * `false` or env DEMO_TROUBLE=off → no trouble; otherwise the defaults overlaid with what is given.
 * Throws naming the option when a rate is outside 0..1.
 */
export function resolveTrouble(
  given: Partial<TroubleOptions> | false | undefined,
  env: NodeJS.ProcessEnv = process.env,
): TroubleOptions {
  if (given === false || env.DEMO_TROUBLE === 'off') return { ...noTrouble };
  const t = { ...defaultTrouble, ...given };
  for (const key of ['slowRate', 'errorRate', 'sessionExpiryRate'] as const) {
    if (!(t[key] >= 0 && t[key] <= 1)) throw new Error(`trouble.${key} must be between 0 and 1, got ${t[key]}`);
  }
  if (!(t.slowMs >= 0)) throw new Error(`trouble.slowMs must be >= 0, got ${t.slowMs}`);
  if (!(Number.isInteger(t.sessionExpiryEvery) && t.sessionExpiryEvery >= 0))
    throw new Error(`trouble.sessionExpiryEvery must be a whole number >= 0, got ${t.sessionExpiryEvery}`);
  return t;
}

export type TroubleDecision = { delayMs: number; fail: boolean };

/** Draws decisions in a fixed order per request, so a seed replays the same sequence. */
export class Trouble {
  private readonly random: Random;
  private loggedInRequests = 0;
  /** Added to every request's delay while set (the system overloaded for a while). */
  slowdownMs = 0;
  constructor(readonly options: TroubleOptions) {
    this.random = seededRandom(options.seed);
  }

  forRequest(): TroubleDecision {
    const { slowRate, slowMs, errorRate } = this.options;
    const delayMs = slowRate > 0 && this.random() < slowRate ? Math.round(this.random() * slowMs) : 0;
    const fail = errorRate > 0 && this.random() < errorRate;
    return { delayMs: delayMs + this.slowdownMs, fail };
  }

  expireSession(): boolean {
    const { sessionExpiryRate: rate, sessionExpiryEvery: every } = this.options;
    if (every > 0 && ++this.loggedInRequests % every === 0) return true;
    return rate > 0 && this.random() < rate;
  }
}
