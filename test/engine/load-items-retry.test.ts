/**
 * loadItems writes one audit entry per input row. When the worker dies while writing them,
 * Temporal retries the activity: the retry must write only the missing entries, never a row twice.
 * Real SQLite stores and the real activity code; the activity context comes from
 * @temporalio/testing's MockActivityEnvironment (only `info.attempt` and heartbeats matter here).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LoadItemsResult } from '../../activities/engine-types.js';
import { openStores } from '../../store/open-stores.js';
import { engineFixtures, engineTestbed, testInvoicesDefinition } from './engine-activity-fixture.js';
import type { Stores } from '../../store/types.js';

const RUN = 'run.test-invoices.load-retry';

let dir: string;
let stores: Stores;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'avlasta-load-retry-'));
  stores = await openStores({ dataDir: dir });
});
afterEach(async () => {
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

async function loadWithAttempt(attempt: number): Promise<LoadItemsResult> {
  const definition = await testInvoicesDefinition();
  const { activities, stageInput } = engineTestbed(dir, stores);
  const request = {
    runWorkflowId: RUN,
    automationId: 'test-invoices',
    inputPath: await stageInput(join(engineFixtures, 'invoices.csv'), definition),
    fileName: 'invoices.csv',
    definition,
  };
  return (await new MockActivityEnvironment({ attempt }).run(activities.loadItems, request)) as LoadItemsResult;
}

async function rowEntries(): Promise<string[]> {
  const entries = await stores.audit.query({ runId: RUN });
  return entries.filter((e) => e.event.startsWith('item.')).map((e) => `${e.event}:${String(e.details.row)}`);
}

async function reopenEmpty(): Promise<void> {
  await stores.close();
  rmSync(join(dir, 'avlasta.db'));
  rmSync(join(dir, 'audit-checkpoints.jsonl')); // a new log: the old one's checkpoints would not match it
  rmSync(join(dir, 'runs'), { recursive: true, force: true });
  stores = await openStores({ dataDir: dir });
}

describe('loadItems retried after a crash', () => {
  it('writes each row entry once when the first attempt wrote only part of them', async () => {
    await loadWithAttempt(1);
    const complete = await stores.audit.query({ runId: RUN });
    const completeRows = await rowEntries();
    expect(completeRows.length).toBeGreaterThanOrEqual(9);

    // The same run from scratch, as if attempt 1 had died after its first three entries.
    await reopenEmpty();
    await stores.audit.append(
      complete.slice(0, 3).map(({ actor, event, automationId, runId, itemKey, details }) => ({
        actor,
        event,
        automationId,
        runId,
        itemKey,
        details,
      })),
    );

    const result = await loadWithAttempt(2);
    expect(await rowEntries()).toEqual(completeRows);
    expect(result.total + result.invalid + result.skipped).toBe(completeRows.length);
    expect((await stores.audit.verify()).ok).toBe(true);
  });
});
