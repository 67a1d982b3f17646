/**
 * The bots a process knows, by id. Definitions are checked against it before a run starts, and the
 * bot worker runs only bots in it. bot-runtime/load-bots.ts fills it from the configured bot
 * folders and packages; tests may fill it from a module they imported.
 */
import { isBot, type BotDefinition } from './define-bot.js';

export type BotRegistry = ReadonlyMap<string, BotDefinition>;

/** A bot and where it was found (a file or package), so a clash can name both places. */
export interface FoundBot {
  bot: BotDefinition;
  source: string;
  /** The module file that exports it (absolute). */
  file?: string;
}

/** The defineBot(...) results among a module's exports; its other exports are ignored. */
export function botsExportedBy(module: Record<string, unknown>, source: string, file?: string): FoundBot[] {
  return Object.values(module)
    .filter(isBot)
    .map((bot) => ({ bot, source, file }));
}

export function createBotRegistry(found: Iterable<FoundBot>): BotRegistry {
  const registry = new Map<string, FoundBot>();
  for (const entry of found) {
    const seen = registry.get(entry.bot.id);
    // The same object reached twice (a file re-exporting another file's bot) is one bot.
    if (seen && seen.bot !== entry.bot) {
      throw new Error(
        `Bot id "${entry.bot.id}" is defined twice, in ${seen.source} and in ${entry.source}; bot ids must be unique`,
      );
    }
    if (!seen) registry.set(entry.bot.id, entry);
  }
  return new Map([...registry].map(([id, { bot }]) => [id, bot]));
}
