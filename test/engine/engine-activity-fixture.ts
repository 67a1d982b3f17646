/**
 * The engine activities over a data dir and stores, the test-invoices definition they load items
 * for, and an input staged as startRun leaves it (the file in the data dir, parsed once beside it).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngineActivities } from '../../activities/engine-activities.js';
import { saveParsedInput } from '../../activities/parsed-input.js';
import { loadConfig } from '../../config.js';
import { formatFromFileName } from '../../definitions/item-readers.js';
import { loadItems } from '../../definitions/items.js';
import { loadDefinitionFile } from '../../definitions/load-definition.js';
import type { AutomationDefinition } from '../../definitions/schema.js';
import type { Stores } from '../../store/types.js';
import { parsePayloadKeys } from '../../temporal/payload-key.js';

export const engineFixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

export function engineTestbed(dir: string, stores: Stores) {
  const payloadKey = parsePayloadKeys(randomBytes(32).toString('base64'), 'test');
  const activities = createEngineActivities({ config: loadConfig({ AVLASTA_DATA_DIR: dir }, dir), stores, payloadKey });
  return {
    activities,
    /** Copies `file` into the data dir and parses it once beside it, as startRun does; returns its path there. */
    async stageInput(file: string, definition: AutomationDefinition): Promise<string> {
      const inputPath = join(dir, `input-${basename(file)}`);
      const data = readFileSync(file);
      writeFileSync(inputPath, data);
      const format = formatFromFileName(file);
      if (!format) throw new Error(`${file}: not an input file name`);
      await saveParsedInput(payloadKey, inputPath, definition, await loadItems({ format, data }, definition));
      return inputPath;
    },
  };
}

export async function testInvoicesDefinition(): Promise<AutomationDefinition> {
  const loaded = await loadDefinitionFile(join(engineFixtures, 'automations/test-invoices.yaml'), {
    knownBots: new Set(['test.lookup', 'test.register']),
  });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded.definition;
}
