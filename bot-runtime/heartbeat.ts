/**
 * Keeps the runBot activity alive while its job runs, notices when Temporal no longer wants the
 * work, and fences the job when Temporal may give the step to another attempt:
 * - cancelled (the item or run was cancelled) or gone (timed out, retried elsewhere, workflow
 *   ended): Temporal said so;
 * - unreachable: no heartbeat was accepted for `heartbeatFenceMs`, so Temporal may time the
 *   attempt out and retry it. A network error is not "carry on": a job cut off from Temporal
 *   cannot know whether it is still the step's attempt;
 * - deadline: the attempt's start-to-close timeout is near.
 * Each aborts the job's signal; `mayAct` turns false at the same moment, and checks the clock
 * itself, so a job whose event loop stalled past its fence is refused its next request at once.
 */
import {
  ActivityCancelledError,
  ActivityNotFoundError,
  ActivityPausedError,
  ActivityResetError,
  type Client,
} from '@temporalio/client';
import type { Logger } from 'pino';
import type { BotFenceTiming } from '../temporal/bot-step-timing.js';

export type StopReason = 'cancelled' | 'gone' | 'unreachable' | 'deadline';

export interface Heartbeat {
  readonly signal: AbortSignal;
  /** Why the job was aborted, once it was. */
  readonly reason: StopReason | undefined;
  /** True while Temporal cannot yet have handed the step to another attempt. */
  mayAct(): boolean;
  /** Sends one heartbeat now; true when Temporal accepted it (the attempt is still current). */
  beat(details?: unknown): Promise<boolean>;
  stop(): void;
}

export interface HeartbeatOptions {
  client: Client;
  /**
   * The attempt's token: Temporal refuses it (ActivityNotFoundError) once a newer attempt exists,
   * so a beat also tells whether this attempt is still the current one.
   */
  taskToken: Uint8Array;
  intervalMs: number;
  timing: BotFenceTiming;
  /**
   * From when the fence counts until a heartbeat is accepted: the attempt's start for a job that
   * skips its first beat; the moment of pick-up for one whose first beat must be accepted before
   * it does anything.
   */
  startedAt: number;
  /** When the attempt's start-to-close timeout ends. */
  deadlineAt: number;
  log: Logger;
}

export function startHeartbeat(opts: HeartbeatOptions): Heartbeat {
  const { client, taskToken, timing, log } = opts;
  const controller = new AbortController();
  let reason: StopReason | undefined;
  // When the last heartbeat Temporal accepted was sent: Temporal recorded it later, never sooner.
  let acceptedSentAt = opts.startedAt;
  const actUntil = () => Math.min(acceptedSentAt + timing.heartbeatFenceMs, opts.deadlineAt - timing.deadlineFenceMs);
  const abort = (why: StopReason) => {
    if (reason) return;
    reason = why;
    log.warn({ reason: why }, 'activity no longer ours to act on; aborting job');
    controller.abort(new Error(`activity ${why}`));
  };
  const fence = () => {
    if (reason || Date.now() < actUntil()) return;
    abort(Date.now() >= acceptedSentAt + timing.heartbeatFenceMs ? 'unreachable' : 'deadline');
  };
  const beat = async (details?: unknown): Promise<boolean> => {
    if (reason) return false;
    const sentAt = Date.now();
    try {
      // Bounded: a call hanging on a cut link must not outlive the interval it stands for.
      await client.connection.withDeadline(sentAt + Math.max(opts.intervalMs, 1000), () =>
        client.activity.heartbeat(taskToken, details),
      );
      acceptedSentAt = Math.max(acceptedSentAt, sentAt);
      return !reason;
    } catch (err) {
      if (err instanceof ActivityCancelledError) abort('cancelled');
      else if (
        err instanceof ActivityNotFoundError ||
        err instanceof ActivityPausedError ||
        err instanceof ActivityResetError
      )
        abort('gone');
      // Anything else (a network error, a timeout) counts against the fence.
      else log.warn({ err: (err as Error).message }, 'heartbeat failed');
      fence();
      return false;
    }
  };
  let beating = false;
  const timer = setInterval(() => {
    if (beating) return;
    beating = true;
    void beat().finally(() => (beating = false));
  }, opts.intervalMs);
  const watchdog = setInterval(fence, Math.max(50, Math.round(timing.closeAllowanceMs / 5)));
  timer.unref();
  watchdog.unref();
  return {
    signal: controller.signal,
    get reason() {
      return reason;
    },
    mayAct: () => {
      fence();
      return !reason;
    },
    beat,
    stop: () => {
      clearInterval(timer);
      clearInterval(watchdog);
    },
  };
}
