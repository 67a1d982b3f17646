/**
 * ekonomi.add-contact: adds a contact person to a supplier in Ekonomisystemet, at most once. The
 * contact page has no reference field for the idempotency key and accepts the same contact twice,
 * so the bot looks for the contact by its business fields (supplier and e-mail) before it creates
 * one, and declares them as its natural key: two items naming the same contact (a change sent in
 * twice) then never look and create at the same time (docs/AUTHORING.md, "Systems without a
 * reference field").
 */
import { z } from 'zod';
import { defineBot } from '../define-bot.js';
import { BotTransientError } from '../errors.js';
import { SystemSession } from '../../bot-runtime/system-session.js';
import { orgnrInput, withHyphen } from './orgnr.js';
import { readTable } from './read-table.js';
import { ekonomi } from './session.js';

const input = z.object({ orgnr: orgnrInput, name: z.string().min(1).max(100), email: z.email() }).strict();
/** Rounds of "look, then post": each ends early once the contact is there or the system refuses it. */
const maxRounds = 4;

export const addContact = defineBot({
  id: 'ekonomi.add-contact',
  description: 'Adds a contact person to a supplier in Ekonomisystemet unless the supplier already has it.',
  input,
  output: z.union([
    z.object({ added: z.boolean() }).strict(),
    // A trial (ctx.trial): the form was filled and photographed, never sent.
    z.object({ trial: z.literal(true), screenshot: z.string() }).strict(),
  ]),
  // In a trial it fills its form, keeps a screenshot and sends nothing.
  trialSafe: true,
  naturalKey: (item) => `${withHyphen(item.orgnr)} ${item.email.toLowerCase()}`,
  async run(ctx, item) {
    const orgnr = withHyphen(item.orgnr);
    const session = new SystemSession(ctx, ekonomi);
    const { page } = session;
    let posted = false;
    for (let round = 1; round <= maxRounds; round++) {
      await session.open(`/leverantorer/kontakter?${new URLSearchParams({ orgnr })}`, 'Kontaktpersoner');
      const contacts = await readTable(page);
      // Found after our own post this run (its answer was lost): we added it.
      if (contacts.some((c) => c['E-post'].toLowerCase() === item.email.toLowerCase())) return { added: posted };
      await session.open('/leverantorer/kontakter/ny', 'Ny kontaktperson');
      await page.getByLabel('Organisationsnummer').fill(orgnr);
      await page.getByLabel('Namn').fill(item.name);
      await page.getByLabel('E-post').fill(item.email);
      if (ctx.trial) return { trial: true as const, screenshot: await ctx.artifacts.screenshot('trial-filled-form') };
      posted = true;
      const heading = await session.submit(() => page.getByRole('button', { name: 'Spara kontaktperson' }).click());
      if (heading === 'Kontaktpersoner') return { added: true };
      if (heading !== undefined) throw await session.validationError();
      ctx.log.warn('contact post interrupted; looking for the contact before trying again', { round });
    }
    throw new BotTransientError(`Ekonomisystemet: the contact was not saved after ${maxRounds} interrupted tries`);
  },
});
