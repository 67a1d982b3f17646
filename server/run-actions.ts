/**
 * The console's and the API's door to the engine's run actions: pause, resume and cancel
 * (engine/run-control.ts) and retry of failed items (engine/retry-failed.ts), as the signed-in
 * person. A refusal becomes the catalog error the page or the JSON answer shows, with the engine's
 * reason as its detail.
 */
import { EngineError } from '../engine/errors.js';
import { controlRun, type RunControlDoor } from '../engine/run-control.js';
import type { RetryStarted } from '../engine/retry-failed.js';
import type { User } from './auth/users.js';
import type { ServerContext } from './context.js';
import { AppError } from './errors.js';

export const runActions = ['pause', 'resume', 'cancel', 'retry-failed'] as const;
export type RunAction = (typeof runActions)[number];

export interface RunActionResult {
  action: RunAction;
  runId: string;
  by: string;
  /** The new run, for retry-failed. */
  retry?: RetryStarted;
}

export async function actOnRun(
  ctx: Pick<ServerContext, 'temporal' | 'stores' | 'runs'>,
  user: User,
  runId: string,
  action: RunAction,
  via: RunControlDoor,
): Promise<RunActionResult> {
  try {
    if (action === 'retry-failed') {
      const retry = await ctx.runs.retryFailed(ctx.stores, user, runId, via);
      return { action, runId, by: user.id, retry };
    }
    await controlRun({ client: ctx.temporal, stores: ctx.stores }, user, runId, action, via);
    return { action, runId, by: user.id };
  } catch (err) {
    if (err instanceof EngineError) throw new AppError(err.code, err.message);
    throw err;
  }
}
