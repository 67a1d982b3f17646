/**
 * Pausing, resuming and cancelling a run: the one path every door takes (the ops console, the JSON
 * API and the CLI, which is an API client). The door authenticates the person; this function asks
 * the run workflow's Update, whose validator has the word on what applies (workflows/run-control.ts),
 * and writes one `run.<action>-requested` audit entry per attempt, accepted or refused, naming who.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Stores } from '../store/types.js';
import { SA } from '../temporal/names.js';
import {
  runControlRefusalCodes,
  runControlUpdates,
  type RunControlAction,
  type RunControlRefusalCode,
  type RunControlResult,
} from '../workflows/run-control.js';
import { EngineError } from './errors.js';
import { engineUnavailable, updateRefusal } from './update-failure.js';

/** Where a request came from, kept in its audit entry. The CLI is an API client: 'api'. */
export type RunControlDoor = 'console' | 'api';

/** An action that cannot apply to the run as it is; `code` is stable. */
export class RunControlRefusedError extends EngineError {
  constructor(
    readonly code: RunControlRefusalCode | 'AVL_ERR_RUN_RUNNING' | 'AVL_ERR_NOTHING_TO_RETRY',
    message: string,
  ) {
    super(code, message);
    this.name = 'RunControlRefusedError';
  }
}

/** How often an Update is sent again when the run's segment closed under it (continue-as-new). */
const CONTINUED_RETRIES = 5;

export interface RunActor {
  id: string;
}

export async function controlRun(
  deps: { client: Client; stores: Stores },
  actor: RunActor,
  runId: string,
  action: RunControlAction,
  via: RunControlDoor,
): Promise<RunControlResult> {
  let automationId = '';
  let result: RunControlResult | undefined;
  let failure: unknown;
  try {
    const handle = deps.client.workflow.getHandle(runId);
    for (let attempt = 1; ; attempt++) {
      const description = await handle.describe();
      automationId = String(description.typedSearchAttributes.get(SA.automation) ?? '');
      if (description.typedSearchAttributes.get(SA.kind) !== 'run') throw unknownRun(runId);
      if (description.status.name !== 'RUNNING')
        throw new RunControlRefusedError(
          'AVL_ERR_RUN_FINISHED',
          `run ${runId} has finished (${description.status.name.toLowerCase()}${
            description.closeTime ? ` at ${description.closeTime.toISOString()}` : ''
          })`,
        );
      try {
        result = await handle.executeUpdate(runControlUpdates[action], { args: [{ actor: actor.id }] });
        return result;
      } catch (err) {
        // The segment the Update reached continued as new meanwhile: ask the next one.
        if (!(err instanceof WorkflowNotFoundError) || attempt >= CONTINUED_RETRIES) throw err;
      }
    }
  } catch (err) {
    failure = asEngineError(err, runId);
    throw failure;
  } finally {
    await deps.stores.audit.append([
      {
        actor: { kind: 'user', id: actor.id },
        event: `run.${action}-requested`,
        automationId,
        runId,
        details: outcomeDetails(result, failure, via),
      },
    ]);
  }
}

/** The audit details of an attempt: accepted, refused (with its code) or failed. */
export function outcomeDetails(result: unknown, failure: unknown, via: RunControlDoor): Record<string, unknown> {
  return {
    outcome: result ? 'accepted' : failure instanceof RunControlRefusedError ? 'refused' : 'failed',
    ...(result ? {} : { code: failure instanceof EngineError ? failure.code : 'AVL_ERR_INTERNAL' }),
    via,
  };
}

export function unknownRun(runId: string): EngineError {
  return new EngineError('AVL_ERR_RUN_UNKNOWN', `no run ${runId}`);
}

/** Maps by the failure's type (a stable code), never by its message. */
function asEngineError(err: unknown, runId: string): unknown {
  if (err instanceof EngineError) return err;
  const refusal = updateRefusal(err, runControlRefusalCodes);
  if (refusal) return new RunControlRefusedError(refusal.code, refusal.message);
  if (err instanceof WorkflowNotFoundError) return unknownRun(runId);
  return engineUnavailable(err, 'the request') ?? err;
}
