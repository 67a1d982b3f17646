/** The Ekonomisystemet bots; bots/registry.ts loads the `bots` array (no registration side effects). */
import type { BotDefinition } from '../define-bot.js';
import { lookupSupplier } from './lookup-supplier.js';
import { registerInvoice } from './register-invoice.js';

export { lookupSupplier, registerInvoice };
export const bots: BotDefinition[] = [lookupSupplier, registerInvoice];
/** Same list under a name that says whose bots they are. */
export const ekonomiBots = bots;
