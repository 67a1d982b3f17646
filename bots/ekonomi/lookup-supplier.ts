/**
 * ekonomi.lookup-supplier: is this organisationsnummer in Ekonomisystemet's supplier register,
 * and under which name and address? Read-only, so safe to retry any number of times.
 */
import { z } from 'zod';
import { defineBot } from '../define-bot.js';
import { BotTransientError } from '../errors.js';
import { orgnrInput, withHyphen } from './orgnr.js';
import { SystemSession } from '../../bot-runtime/system-session.js';
import { ekonomi } from './session.js';
import { readTable } from './read-table.js';

export const lookupSupplier = defineBot({
  id: 'ekonomi.lookup-supplier',
  description: 'Looks up a supplier by organisationsnummer in Ekonomisystemet.',
  input: z.object({ orgnr: orgnrInput }).strict(),
  // Only reads: the same in a trial.
  trialSafe: true,
  output: z.object({ known: z.boolean(), name: z.string().optional(), address: z.string().optional() }).strict(),
  async run(ctx, input) {
    const orgnr = withHyphen(input.orgnr);
    const session = new SystemSession(ctx, ekonomi);
    const { page } = session;
    await session.open('/leverantorer');
    await page.getByLabel('Organisationsnummer eller namn').fill(orgnr);
    if ((await session.submit(() => page.getByRole('button', { name: 'Sök' }).click())) === undefined) {
      // The search is a GET: repeat it by address, which logs in or waits out a 503 as needed.
      await session.open(`/leverantorer?${new URLSearchParams({ orgnr })}`);
    }
    await page.getByRole('status').waitFor();
    const match = (await readTable(page)).find((row) => row['Organisationsnummer'] === orgnr);
    if (!match) {
      if ((await page.getByText('Ingen leverantör hittades').count()) === 0) {
        throw new BotTransientError(
          'Ekonomisystemet: the supplier search showed neither a result nor "Ingen leverantör hittades"',
        );
      }
      return { known: false };
    }
    return { known: true, name: match['Namn'], address: match['Adress'] };
  },
});
