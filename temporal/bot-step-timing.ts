/**
 * How the timing of a bot step fits together so that two attempts of one step never act at once
 * (docs/ARCHITECTURE.md, "Two attempts of a step never overlap"). Every figure derives from the
 * runBot activity's heartbeat timeout H, so a test with a short H keeps the same proportions.
 * Sandbox-safe (no node:*): the workflow sets the activity's options from it and the bot runtime
 * fences its jobs by it.
 */

/** H of every bot step: a bot worker that stops heartbeating is given up after this. */
export const botHeartbeatTimeoutMs = 30_000;

/**
 * How far the clocks of the Temporal worker (which stamps the attempt's deadline into the job) and
 * the bot worker (which fences itself by it) may disagree, with the moment between the attempt's
 * start and the stamp. Durations (the heartbeat fence, the lease) are measured on one clock each.
 */
export const botClockAllowanceMs = 2_000;

export interface BotFenceTiming {
  heartbeatTimeoutMs: number;
  /**
   * How long a request the browser sent before its context closed may still take to land in the
   * target system. Nothing may act on the step's key for this long after the context closed.
   */
  inFlightMarginMs: number;
  /** The longest closing a browser context may take. */
  closeAllowanceMs: number;
  /**
   * A job closes its context when its last heartbeat that Temporal accepted was sent longer ago
   * than this: H − closeAllowance − inFlightMargin, so everything it did has landed before
   * Temporal can time the attempt out and retry it.
   */
  heartbeatFenceMs: number;
  /** A lease is valid for its holder this long after the renewal was sent. */
  leaseTtlMs: number;
  /** The holder renews this often (three tries within the validity). */
  leaseRenewMs: number;
  /** A job closes its context this long before its attempt's start-to-close deadline. */
  deadlineFenceMs: number;
}

export function botFenceTiming(heartbeatTimeoutMs: number = botHeartbeatTimeoutMs): BotFenceTiming {
  const h = heartbeatTimeoutMs;
  const inFlightMarginMs = Math.round(h / 3);
  const closeAllowanceMs = Math.round(h / 6);
  const leaseTtlMs = Math.round(h / 2);
  return {
    heartbeatTimeoutMs: h,
    inFlightMarginMs,
    closeAllowanceMs,
    heartbeatFenceMs: h - closeAllowanceMs - inFlightMarginMs,
    leaseTtlMs,
    leaseRenewMs: Math.round(leaseTtlMs / 3),
    deadlineFenceMs: closeAllowanceMs + inFlightMarginMs + botClockAllowanceMs,
  };
}
