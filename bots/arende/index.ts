/** The Ärendesystemet bots; bots/registry.ts loads the `bots` array. */
import type { BotDefinition } from '../define-bot.js';
import { lookupResident } from './lookup-resident.js';
import { registerCase } from './register-case.js';

export { lookupResident, registerCase };
export const bots: BotDefinition[] = [lookupResident, registerCase];
