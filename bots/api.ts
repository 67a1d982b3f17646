/**
 * What a bot file imports, in one place: `import { defineBot, SystemSession, z } from 'avlasta/bot'`
 * in a city's own bot folder or a shared bot package. package.json "exports" maps `avlasta/bot` to
 * this file's compiled form in dist/ (the processes a city runs are compiled; set-up builds dist/
 * for tests too) and to this source for type checkers. `z` is Avlasta's own zod, so a bot's schemas are the ones the runtime validates with.
 * Avlasta's built-in bots import the same modules by relative path.
 */
export { z } from 'zod';
export { defineBot } from './define-bot.js';
export type { BotArtifacts, BotContext, BotDefinition, BotLogger } from './define-bot.js';
export { BotBusinessError, BotTransientError } from './errors.js';
export { maskString } from '../audit/mask.js';
export { SystemSession } from '../bot-runtime/system-session.js';
export type { SessionSettings } from '../bot-runtime/system-session.js';
