/**
 * permits.register-fee: registers a permit fee in Bygglovssystemet, once. The fee carries the
 * step's idempotency key as its reference, and the bot looks for that reference in the list of
 * fees before it fills in the form: a retry after a lost answer finds the fee instead of making
 * a second one.
 */
import { BotTransientError, defineBot, SystemSession, z } from 'avlasta/bot';
import { permitsSession } from './session.js';

export const registerFee = defineBot({
  id: 'permits.register-fee',
  description: 'Registers a permit fee for a case in Bygglovssystemet (looks for it first).',
  input: z.object({ caseNumber: z.string().regex(/^BL-\d+$/), amount: z.number().positive() }).strict(),
  output: z.object({ feeNumber: z.string(), created: z.boolean() }).strict(),
  async run(ctx, input) {
    const session = new SystemSession(ctx, permitsSession);
    const { page } = session;
    // The list loads a moment after its page: its status line says when it is there.
    await session.open('/avgifter', 'Avgifter');
    await page.getByRole('status').filter({ hasText: 'avgifter' }).waitFor();
    const earlier = page.getByRole('row').filter({ hasText: ctx.idempotencyKey });
    if ((await earlier.count()) > 0) {
      return { feeNumber: (await earlier.getByRole('cell').first().textContent()) ?? '', created: false };
    }
    await session.open('/avgifter/ny', 'Ny avgift');
    await page.getByLabel('Ärendenummer').fill(input.caseNumber);
    await page.getByLabel('Belopp (kr)').fill(String(input.amount));
    await page.getByLabel('Referens').fill(ctx.idempotencyKey);
    const heading = await session.submit(() => page.getByRole('button', { name: 'Registrera' }).click());
    // Interrupted (the session expired on the way): the form may or may not have arrived. The
    // retry looks for it first.
    if (heading === undefined) throw new BotTransientError('Bygglov: the fee form was interrupted');
    if (heading !== 'Avgift registrerad') throw await session.validationError(input.caseNumber);
    return { feeNumber: (await page.locator('output').textContent()) ?? '', created: true };
  },
});
