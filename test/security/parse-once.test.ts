/**
 * §4 An input file is parsed once: where the run is started (the API request or the CLI, where a
 * person waits for its errors). The run's loadItems activity reads that parse and never the file:
 * here the file on disk is garbage by the time the activity runs, and the items still load.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngineActivities } from '../../activities/engine-activities.js';
import type { LoadItemsResult } from '../../activities/engine-types.js';
import { saveParsedInput } from '../../activities/parsed-input.js';
import { loadConfig } from '../../config.js';
import { loadItems } from '../../definitions/items.js';
import { automationSchema } from '../../definitions/schema.js';
import { openStores } from '../../store/open-stores.js';
import { loadPayloadKeys } from '../../temporal/payload-key.js';

const definition = automationSchema.parse({
  id: 'parse-once',
  title: { sv: 'En gång', en: 'Once' },
  department: 'ekonomi',
  manualMinutesPerItem: 1,
  items: { key: 'ref', fields: { ref: { type: 'string' }, payee: { type: 'string' } } },
  steps: [{ id: 'note', type: 'set', values: { x: '1' } }],
});

let dataDir: string;
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('parse once', () => {
  it("the run's loadItems reads the parse made when the run was started, never the file again", async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'avlasta-parse-once-'));
    const stores = await openStores({ dataDir });
    try {
      const keys = loadPayloadKeys({ dataDir });
      const inputPath = join(dataDir, 'inputs', 'abc.csv');
      mkdirSync(join(dataDir, 'inputs'));
      const csv = 'ref,payee\nA-1,Åsa\nA-2,Bo\n';
      writeFileSync(inputPath, csv);
      await saveParsedInput(keys, inputPath, definition, await loadItems({ format: 'csv', data: csv }, definition));
      writeFileSync(inputPath, '\u0000not a CSV any more');
      const activities = createEngineActivities({
        config: loadConfig({ AVLASTA_DATA_DIR: dataDir }, dataDir),
        stores,
        payloadKey: keys,
      });
      const request = {
        runWorkflowId: 'run.parse-once.1',
        automationId: 'parse-once',
        inputPath,
        fileName: 'abc.csv',
        definition,
      };
      const result = (await new MockActivityEnvironment().run(activities.loadItems, request)) as LoadItemsResult;
      expect(result).toMatchObject({ total: 2, invalid: 0 });
    } finally {
      await stores.close();
    }
  });
});
