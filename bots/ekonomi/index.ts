/** The Ekonomisystemet bots, for bots/registry.ts to list (no registration side effects here). */
import { lookupSupplier } from './lookup-supplier.js';
import { registerInvoice } from './register-invoice.js';

export { lookupSupplier, registerInvoice };
export const ekonomiBots = [lookupSupplier, registerInvoice] as const;
