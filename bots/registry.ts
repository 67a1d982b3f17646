/**
 * The bots Avlasta knows, listed explicitly (no registration by import side effect). Definitions
 * are checked against this registry before a run starts, and the bot worker runs only bots in it.
 */
import { bots as arendeBots } from './arende/index.js';
import { ekonomiBots } from './ekonomi/index.js';
import type { BotDefinition } from './define-bot.js';

export type BotRegistry = ReadonlyMap<string, BotDefinition>;

export function createBotRegistry(bots: BotDefinition[]): BotRegistry {
  const registry = new Map<string, BotDefinition>();
  for (const bot of bots) {
    if (registry.has(bot.id)) throw new Error(`Bot id "${bot.id}" is defined twice; bot ids must be unique`);
    registry.set(bot.id, bot);
  }
  return registry;
}

/** The bots shipped with Avlasta, one folder per target system. */
export async function loadBuiltInBots(): Promise<BotDefinition[]> {
  return [...ekonomiBots, ...arendeBots];
}

/** Loads the `bots` array a module exports (built-ins, AVLASTA_BOT_MODULES); fails naming it. */
export async function importBots(specifier: string): Promise<BotDefinition[]> {
  const mod = (await import(specifier)) as { bots?: unknown };
  if (!Array.isArray(mod.bots)) throw new Error(`${specifier} must export an array "bots" of defineBot(...) results`);
  return mod.bots as BotDefinition[];
}
