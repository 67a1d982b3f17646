/**
 * Retrying a run's failed items: a new run of exactly those items, linked to the first (its
 * `retryOf`, and the first run's `run.retry-requested` audit entry names the new one). The items
 * are read from the first run's sealed items (as its loadItems activity sealed them), not parsed
 * again, and the run starts through startRun like every run. Only a finished run is retried: while
 * it goes, its failed items could still be joined by others.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { runDir } from '../activities/engine-activities.js';
import type { LoadedItem } from '../definitions/items.js';
import type { Stores } from '../store/types.js';
import { loadPayloadKeys } from '../temporal/payload-key.js';
import { readSealedJson } from '../temporal/sealed-file.js';
import { EngineError } from './errors.js';
import { RunControlRefusedError, outcomeDetails, type RunActor, type RunControlDoor } from './run-control.js';
import { getRunStatus, startRun, type RunDeps } from './runs.js';
import { isRunLive } from '../workflows/types.js';

/** Failed keys read per page of the run's items. */
const PAGE = 1000;

export interface RetryStarted {
  workflowId: string;
  runKey: string;
  items: number;
}

export async function retryFailedItems(
  deps: RunDeps & { stores: Stores },
  actor: RunActor,
  runId: string,
  via: RunControlDoor,
): Promise<RetryStarted> {
  let automationId = '';
  let result: RetryStarted | undefined;
  let failure: unknown;
  try {
    const run = await getRunStatus(deps.client, runId);
    automationId = run.automationId;
    if (isRunLive(run.status))
      throw new RunControlRefusedError('AVL_ERR_RUN_RUNNING', `run ${runId} is still ${run.status}`);
    const failed = await failedKeys(deps.stores, runId);
    if (failed.size === 0)
      throw new RunControlRefusedError('AVL_ERR_NOTHING_TO_RETRY', `run ${runId} has no failed items`);
    const sealed = await readSealedJson<LoadedItem[]>(
      loadPayloadKeys(deps.config),
      join(runDir(deps.config, runId), 'items.sealed'),
    ).catch((err: Error) => {
      throw new EngineError('AVL_ERR_INPUT_INVALID', `the items of run ${runId} cannot be read: ${err.message}`);
    });
    const items = sealed.filter((i) => failed.has(i.key));
    // The new run's "input" is the list of keys (no item data outside the sealed files); its key
    // counts the retries, so a retry of the same run can be started again once it has finished.
    const data = Buffer.from(JSON.stringify({ retryOf: runId, keys: items.map((i) => i.key) }));
    const n = (await deps.stores.runItems.retries(runId)).length + 1;
    const runKey = `${createHash('sha256').update(data).digest('hex').slice(0, 12)}-retry${n}`;
    const started = await startRun(deps, {
      automationId,
      runKey,
      initiator: actor.id,
      input: { fileName: `failed-items-of-${runId}.json`, data },
      parsed: { items, rejected: [], warnings: [] },
      retryOf: runId,
    });
    result = { ...started, items: items.length };
    return result;
  } catch (err) {
    failure = err;
    throw err;
  } finally {
    const by = { kind: 'user' as const, id: actor.id };
    await deps.stores.audit.append([
      {
        actor: by,
        event: 'run.retry-requested',
        automationId,
        runId,
        details: {
          ...outcomeDetails(result, failure, via),
          ...(result ? { retryRunId: result.workflowId, items: result.items } : {}),
        },
      },
      // The new run's own start request, as every door writes it; it names the run it retries.
      ...(result
        ? [
            {
              actor: by,
              event: 'api.run-requested' as const,
              automationId,
              runId: result.workflowId,
              details: { retryOf: runId, items: result.items, runKey: result.runKey, via },
            },
          ]
        : []),
    ]);
  }
}

async function failedKeys(stores: Stores, runId: string): Promise<Set<string>> {
  const keys = new Set<string>();
  let after: string | undefined;
  do {
    const page = await stores.runItems.page(runId, { outcome: 'failed', after, limit: PAGE });
    for (const item of page.items) keys.add(item.key);
    after = page.next;
  } while (after);
  return keys;
}
