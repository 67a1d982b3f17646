/**
 * arende.lookup-resident: looks a resident up by personnummer in Ärendesystemet and returns the
 * registered (folkbokförd) address, so the automation can compare it with the stated one.
 * Read-only, so it is safe to repeat.
 */
import { z } from 'zod';
import { defineBot } from '../define-bot.js';
import { SystemSession } from '../../bot-runtime/system-session.js';
import { arende, titles } from './session.js';
import { personnummerSchema } from './schemas.js';

export const lookupResident = defineBot({
  id: 'arende.lookup-resident',
  description: 'Slår upp en invånare på personnummer / Looks up a resident by personnummer',
  input: z.object({ personnummer: personnummerSchema }).strict(),
  // Only reads: the same in a trial.
  trialSafe: true,
  output: z
    .object({ found: z.boolean(), registeredAddress: z.string().optional(), name: z.string().optional() })
    .strict(),
  async run(ctx, input) {
    const session = new SystemSession(ctx, arende);
    const { page } = session;
    const heading = await session.submitForm(
      '/invanare',
      titles.lookup,
      () => page.getByLabel('Personnummer', { exact: true }).fill(input.personnummer),
      () => page.getByRole('button', { name: 'Sök', exact: true }).click(),
    );
    if (heading !== titles.lookup) throw new Error(`Ärendesystemet: unexpected page "${heading}" after the lookup`);
    if ((await page.getByRole('alert').count()) > 0) throw await session.validationError('invånarsökning');

    const hit = page.getByRole('region', { name: 'Folkbokförd invånare' });
    const miss = page.getByRole('status').filter({ hasText: 'Ingen invånare hittades' });
    await hit.or(miss).waitFor();
    if (await miss.isVisible()) {
      ctx.log.info('Resident not found');
      return { found: false };
    }
    const name = (await hit.getByTestId('namn').textContent())?.trim() ?? '';
    const registeredAddress = (await hit.getByTestId('adress').textContent())?.trim() ?? '';
    ctx.log.info('Resident found');
    return { found: true, name, registeredAddress };
  },
});
