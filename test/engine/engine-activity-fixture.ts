/** The engine activities over a data dir and stores, and the test-invoices definition they load items for. */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngineActivities } from '../../activities/engine-activities.js';
import { loadConfig } from '../../config.js';
import { loadDefinitionFile } from '../../definitions/load-definition.js';
import type { AutomationDefinition } from '../../definitions/schema.js';
import type { Stores } from '../../store/types.js';

export const engineFixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

export function engineActivities(dir: string, stores: Stores) {
  return createEngineActivities({
    config: loadConfig({ AVLASTA_DATA_DIR: dir }, dir),
    stores,
    payloadKey: randomBytes(32),
  });
}

export async function testInvoicesDefinition(): Promise<AutomationDefinition> {
  const loaded = await loadDefinitionFile(join(engineFixtures, 'automations/test-invoices.yaml'), {
    knownBots: new Set(['test.lookup', 'test.register']),
  });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded.definition;
}
