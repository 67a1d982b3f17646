/** Errors the engine's client-side functions throw, each with a stable code the API maps to HTTP. */
import type { DecisionRefusalCode } from '../workflows/messages.js';
import type { RunControlRefusalCode } from '../workflows/run-control.js';

export type EngineErrorCode =
  | 'AVL_ERR_AUTOMATION_UNKNOWN'
  | 'AVL_ERR_DEFINITION_INVALID'
  | 'AVL_ERR_INPUT_INVALID'
  | 'AVL_ERR_RUN_EXISTS'
  | 'AVL_ERR_IDEMPOTENCY_KEY_REUSED'
  | 'AVL_ERR_RUN_UNKNOWN'
  | 'AVL_ERR_SCHEDULE_UNKNOWN'
  | 'AVL_ERR_APPROVAL_UNKNOWN'
  | 'AVL_ERR_ENGINE_UNAVAILABLE'
  | 'AVL_ERR_RUN_RUNNING'
  | 'AVL_ERR_NOTHING_TO_RETRY'
  | DecisionRefusalCode
  | RunControlRefusalCode
  | 'AVL_ERR_CONFIGURATION';

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
