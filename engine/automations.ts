/** Finds and validates automation definitions in the automations folder. */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { formatProblem, loadDefinitionFile } from '../definitions/load-definition.js';
import type { AutomationDefinition } from '../definitions/schema.js';
import type { BotRegistry } from '../bots/registry.js';
import { EngineError } from './errors.js';

export interface LoadedAutomation {
  definition: AutomationDefinition;
  hash: string;
  file: string;
}

export function automationsDir(cwd = process.cwd()): string {
  return resolve(cwd, 'automations');
}

export async function listAutomationIds(dir = automationsDir()): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .filter((n) => n.endsWith('.yaml') || n.endsWith('.yml'))
    .map((n) => n.replace(/\.ya?ml$/, ''))
    .sort();
}

export async function loadAutomation(
  id: string,
  registry: BotRegistry,
  dir = automationsDir(),
): Promise<LoadedAutomation> {
  if (!/^[a-z][a-z0-9-]*$/.test(id))
    throw new EngineError('AVL_ERR_AUTOMATION_UNKNOWN', `"${id}" is not an automation id`);
  const file = [join(dir, `${id}.yaml`), join(dir, `${id}.yml`)].find((f) => existsSync(f));
  if (!file) {
    const known = await listAutomationIds(dir);
    throw new EngineError(
      'AVL_ERR_AUTOMATION_UNKNOWN',
      `no automation "${id}" in ${dir} (known: ${known.join(', ') || 'none'})`,
    );
  }
  const loaded = await loadDefinitionFile(file, { knownBots: new Set(registry.keys()) });
  if (!loaded.ok) {
    throw new EngineError(
      'AVL_ERR_DEFINITION_INVALID',
      `automation "${id}" is not valid:\n${loaded.problems.map(formatProblem).join('\n')}`,
    );
  }
  if (loaded.definition.id !== id) {
    throw new EngineError(
      'AVL_ERR_DEFINITION_INVALID',
      `${file}: id "${loaded.definition.id}" must equal the file name "${id}"`,
    );
  }
  return { definition: loaded.definition, hash: loaded.hash, file };
}
