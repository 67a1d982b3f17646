/**
 * A run's input file is parsed once, where the run is started (engine/runs.ts: a person waits for
 * a file's errors there), and the result is kept sealed beside the input for the run's loadItems
 * activity, which never parses the file again. The name holds the input's hash (in its path) and
 * the item fields' fingerprint, so a run reads exactly the parse of its own input and definition.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/hash.js';
import type { LoadedItems } from '../definitions/items.js';
import type { AutomationDefinition } from '../definitions/schema.js';
import type { PayloadKeys } from '../temporal/payload-key.js';
import { readSealedJson, writeSealedJson } from '../temporal/sealed-file.js';

export function parsedInputPath(inputPath: string, definition: AutomationDefinition): string {
  const fields = createHash('sha256').update(canonicalJson(definition.items)).digest('hex').slice(0, 16);
  return `${inputPath}.${fields}.parsed`;
}

export function saveParsedInput(
  keys: PayloadKeys,
  inputPath: string,
  definition: AutomationDefinition,
  loaded: LoadedItems,
): Promise<void> {
  return writeSealedJson(keys, parsedInputPath(inputPath, definition), loaded);
}

export function readParsedInput(
  keys: PayloadKeys,
  inputPath: string,
  definition: AutomationDefinition,
): Promise<LoadedItems> {
  return readSealedJson<LoadedItems>(keys, parsedInputPath(inputPath, definition));
}
