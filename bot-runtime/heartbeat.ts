/**
 * Keeps the runBot activity alive while its job runs and notices when Temporal no longer wants
 * the work: cancelled (the item or run was cancelled) or gone (timed out, retried elsewhere,
 * workflow ended). Either aborts the job's signal.
 */
import {
  ActivityCancelledError,
  ActivityNotFoundError,
  ActivityPausedError,
  ActivityResetError,
  type Client,
} from '@temporalio/client';
import type { Logger } from 'pino';

export type StopReason = 'cancelled' | 'gone';

export interface Heartbeat {
  readonly signal: AbortSignal;
  /** Why the job was aborted, once it was. */
  readonly reason: StopReason | undefined;
  /** Sends one heartbeat now; false when the activity is no longer wanted. */
  beat(details?: unknown): Promise<boolean>;
  stop(): void;
}

/**
 * @param taskToken the attempt's token: Temporal refuses it (ActivityNotFoundError) once a newer
 * attempt exists, so a beat also tells whether this attempt is still the current one.
 */
export function startHeartbeat(client: Client, taskToken: Uint8Array, intervalMs: number, log: Logger): Heartbeat {
  const controller = new AbortController();
  let reason: StopReason | undefined;
  const abort = (why: StopReason) => {
    if (reason) return;
    reason = why;
    log.warn({ reason: why }, 'activity no longer wanted; aborting job');
    controller.abort(new Error(`activity ${why}`));
  };
  const beat = async (details?: unknown): Promise<boolean> => {
    if (reason) return false;
    try {
      await client.activity.heartbeat(taskToken, details);
      return !reason;
    } catch (err) {
      if (err instanceof ActivityCancelledError) abort('cancelled');
      else if (
        err instanceof ActivityNotFoundError ||
        err instanceof ActivityPausedError ||
        err instanceof ActivityResetError
      )
        abort('gone');
      // Anything else (a network blip) is retried on the next beat; Temporal's heartbeat
      // timeout decides if the worker is really lost.
      else log.warn({ err: (err as Error).message }, 'heartbeat failed');
      return !reason;
    }
  };
  const timer = setInterval(() => void beat(), intervalMs);
  timer.unref();
  return {
    signal: controller.signal,
    get reason() {
      return reason;
    },
    beat,
    stop: () => clearInterval(timer),
  };
}
