/**
 * What a failed Temporal Update means to the engine's doors, read the same way for every Update
 * (a decision, a run's pause, resume or cancel): by the failure's type, a stable code the workflow's
 * validator or handler sets, never by its message.
 */
import { ServiceError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { EngineError } from './errors.js';

export interface UpdateRefusal<C extends string> {
  code: C;
  message: string;
  details: unknown[];
}

/** The refusal the workflow gave, when its type is one of `codes`; otherwise undefined. */
export function updateRefusal<C extends string>(err: unknown, codes: readonly C[]): UpdateRefusal<C> | undefined {
  const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
  if (!(cause instanceof ApplicationFailure) || !(codes as readonly string[]).includes(cause.type ?? ''))
    return undefined;
  return { code: cause.type as C, message: cause.message, details: cause.details ?? [] };
}

/** `AVL_ERR_ENGINE_UNAVAILABLE` when Temporal did not take the request (`what` names it); otherwise undefined. */
export function engineUnavailable(err: unknown, what: string): EngineError | undefined {
  if (err instanceof ServiceError || err instanceof WorkflowUpdateRPCTimeoutOrCancelledError)
    return new EngineError('AVL_ERR_ENGINE_UNAVAILABLE', `Temporal did not take ${what}: ${err.message}`);
  return undefined;
}
