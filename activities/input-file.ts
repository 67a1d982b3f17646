/**
 * How a run's input file is kept, whoever brings it: a person starting a run (engine/runs.ts) or a
 * scheduled run fetching its own (fetch-input.ts). The file is parsed once, here, so a file that
 * cannot be read is refused before anything runs; the bytes go under <dataDir>/inputs/ by their
 * sha256 (0600) and the parse is sealed beside them for the run's loadItems activity.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { AvlastaConfig } from '../config.js';
import { maskString } from '../audit/mask.js';
import { formatFromFileName, loadItems, type LoadedItems } from '../definitions/items.js';
import type { AutomationDefinition } from '../definitions/schema.js';
import { EngineError } from '../engine/errors.js';
import { pseudonymSecretFor } from '../engine/pseudonym-secret.js';
import type { PayloadKeys } from '../temporal/payload-key.js';
import { saveParsedInput } from './parsed-input.js';

export interface StoredInput {
  inputPath: string;
  fileName: string;
  /** The first 16 hex digits of the input's sha256: the default run key. */
  contentKey: string;
}

/** The input's sha256 (hex): its name under inputs/ and, shortened, the default run key. */
export function inputSha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function storeInput(
  config: AvlastaConfig,
  keys: PayloadKeys,
  definition: AutomationDefinition,
  input: { fileName: string; data: Buffer },
  sha = inputSha256(input.data),
  /** Items parsed already (a retry of another run's failed items): not parsed again. */
  parsed?: LoadedItems,
): Promise<StoredInput> {
  const format = formatFromFileName(input.fileName);
  if (!format)
    throw new EngineError(
      'AVL_ERR_INPUT_INVALID',
      `${maskString(input.fileName)}: unknown input format (use .csv, .xlsx or .json)`,
    );
  let pseudonymSecret: string | undefined;
  try {
    pseudonymSecret = pseudonymSecretFor(definition, config);
  } catch (err) {
    throw new EngineError('AVL_ERR_CONFIGURATION', (err as Error).message);
  }
  let loaded: LoadedItems;
  try {
    loaded =
      parsed ??
      (await loadItems({ format, data: input.data, fileName: input.fileName }, definition, { pseudonymSecret }));
  } catch (err) {
    throw new EngineError('AVL_ERR_INPUT_INVALID', `${maskString(input.fileName)}: ${(err as Error).message}`);
  }
  const inputDir = join(config.dataDir, 'inputs');
  await mkdir(inputDir, { recursive: true });
  const inputPath = join(inputDir, `${sha}${extname(input.fileName).toLowerCase()}`);
  await writeFile(inputPath, input.data, { mode: 0o600 });
  await saveParsedInput(keys, inputPath, definition, loaded);
  return { inputPath, fileName: input.fileName, contentKey: sha.slice(0, 16) };
}
