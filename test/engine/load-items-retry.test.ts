/**
 * loadItems writes one audit entry per input row. When the worker dies while writing them,
 * Temporal retries the activity: the retry must write only the missing entries, never a row twice.
 * Real SQLite stores and the real activity code; the activity context comes from
 * @temporalio/testing's MockActivityEnvironment (only `info.attempt` and heartbeats matter here).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngineActivities } from '../../activities/engine-activities.js';
import type { LoadItemsResult } from '../../activities/engine-types.js';
import { saveParsedInput } from '../../activities/parsed-input.js';
import { loadItems } from '../../definitions/items.js';
import { openStores } from '../../store/open-stores.js';
import { parsePayloadKeys } from '../../temporal/payload-key.js';
import { loadConfig } from '../../config.js';
import { loadDefinitionFile } from '../../definitions/load-definition.js';
import type { Stores } from '../../store/types.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
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
  const loaded = await loadDefinitionFile(join(fixtures, 'automations/test-invoices.yaml'), {
    knownBots: new Set(['test.lookup', 'test.register']),
  });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  const payloadKey = parsePayloadKeys(randomBytes(32).toString('base64'), 'test');
  const activities = createEngineActivities({ config: loadConfig({ AVLASTA_DATA_DIR: dir }, dir), stores, payloadKey });
  // As startRun leaves it: the input in the data dir, parsed once beside it.
  const inputPath = join(dir, 'invoices.csv');
  const data = readFileSync(join(fixtures, 'invoices.csv'));
  writeFileSync(inputPath, data);
  await saveParsedInput(
    payloadKey,
    inputPath,
    loaded.definition,
    await loadItems({ format: 'csv', data }, loaded.definition),
  );
  const request = {
    runWorkflowId: RUN,
    automationId: 'test-invoices',
    inputPath,
    fileName: 'invoices.csv',
    definition: loaded.definition,
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
