/**
 * ekonomi.register-invoice: registers a supplier invoice in Ekonomisystemet, at most once.
 * Before filling the form it looks in the invoice list for this invoice (same invoice number and
 * supplier, or its idempotency key in the reference field) and returns that registration number
 * instead; a retry after a crash, a lost response or an expired session therefore never posts twice.
 */
import { z } from 'zod';
import type { BotContext } from '../define-bot.js';
import { defineBot } from '../define-bot.js';
import { BotBusinessError, BotTransientError } from '../errors.js';
import { SystemSession } from '../../bot-runtime/system-session.js';
import { formatKronor } from './kronor.js';
import { orgnrInput, withHyphen } from './orgnr.js';
import { readTable } from './read-table.js';
import { ekonomi } from './session.js';

const input = z
  .object({
    invoiceNumber: z.string().min(1).max(30),
    orgnr: orgnrInput,
    amount: z.number().positive().describe('Kronor, e.g. 1234.5'),
    dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'),
    costCentre: z.string().min(1).describe('Kostnadsställe code, e.g. "1100"'),
  })
  .strict();

type Input = z.infer<typeof input>;
/** Rounds of "look, then post": each ends early on success or a business error. */
const maxRounds = 6;

export const registerInvoice = defineBot({
  id: 'ekonomi.register-invoice',
  description: 'Registers a supplier invoice in Ekonomisystemet unless it is already there.',
  input,
  // In a trial it fills its form, keeps a screenshot and sends nothing.
  trialSafe: true,
  output: z.union([
    z.object({ registrationNumber: z.string().regex(/^LF-\d{4}-\d{6}$/), alreadyRegistered: z.boolean() }).strict(),
    // A trial (ctx.trial): the form was filled and photographed, never sent.
    z.object({ trial: z.literal(true), screenshot: z.string() }).strict(),
  ]),
  async run(ctx, raw) {
    const item = { ...raw, orgnr: withHyphen(raw.orgnr) };
    const session = new SystemSession(ctx, ekonomi);
    let posted = false;
    for (let round = 1; round <= maxRounds; round++) {
      const existing = await findRegistered(session, ctx, item);
      if (existing) {
        ctx.log.info('invoice already registered', { registrationNumber: existing, round });
        // Found after our own post this run (its response was lost): we registered it.
        return { registrationNumber: existing, alreadyRegistered: !posted };
      }
      await session.open('/fakturor/ny');
      await fillForm(ctx, item);
      // A trial commits nothing: the filled form is its evidence, and the submit never happens.
      if (ctx.trial) return { trial: true as const, screenshot: await ctx.artifacts.screenshot('trial-filled-form') };
      posted = true;
      const sent = await session.submit(() => ctx.page.getByRole('button', { name: 'Registrera faktura' }).click());
      if (sent !== undefined) return readOutcome(session);
      // Interrupted on the post: we cannot know whether it landed, so look in the list first.
      ctx.log.warn('invoice post interrupted; checking the list before trying again', { round });
    }
    throw new BotTransientError(
      `Ekonomisystemet: invoice ${item.invoiceNumber} not registered after ${maxRounds} interrupted tries`,
    );
  },
});

/** The registration number of this invoice if the list already has it, following "Nästa sida". */
async function findRegistered(session: SystemSession, ctx: BotContext, item: Input): Promise<string | undefined> {
  let path: string | null = `/fakturor?${new URLSearchParams({ sok: item.invoiceNumber })}`;
  for (let pages = 0; path && pages < 20; pages++) {
    await session.open(path);
    const rows = await readTable(ctx.page);
    const hit = rows.find(
      (r) =>
        r['Referens'] === ctx.idempotencyKey ||
        (r['Fakturanummer'] === item.invoiceNumber && r['Organisationsnummer'] === item.orgnr),
    );
    if (hit) return hit['Registreringsnummer'];
    const next = ctx.page.getByRole('link', { name: 'Nästa sida' });
    path = (await next.count()) > 0 ? await next.getAttribute('href') : null;
  }
  return undefined;
}

async function fillForm(ctx: BotContext, item: Input): Promise<void> {
  const page = ctx.page;
  const costCentre = page.getByLabel('Kostnadsställe');
  const codes = await costCentre
    .locator('option')
    .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
  if (!codes.includes(item.costCentre)) {
    throw new BotBusinessError(`Kostnadsställe ${item.costCentre} finns inte i Ekonomisystemet`, 'UNKNOWN_COST_CENTRE');
  }
  await page.getByLabel('Fakturanummer').fill(item.invoiceNumber);
  await page.getByLabel('Organisationsnummer').fill(item.orgnr);
  await page.getByLabel('Belopp (kr)').fill(formatKronor(item.amount));
  await page.getByLabel('Förfallodatum').fill(item.dueDate);
  await costCentre.selectOption(item.costCentre);
  // The idempotency key goes where staff can see it and where findRegistered searches.
  await page.getByLabel('Referens (valfri)').fill(ctx.idempotencyKey);
}

/** After a post that reached the system: the receipt, or the system's own validation messages. */
async function readOutcome(
  session: SystemSession,
): Promise<{ registrationNumber: string; alreadyRegistered: boolean }> {
  const { page } = session;
  const receipt = page.getByTestId('registreringsnummer');
  if ((await receipt.count()) > 0) {
    return { registrationNumber: (await receipt.textContent())!.trim(), alreadyRegistered: false };
  }
  if ((await page.getByRole('alert').count()) > 0) throw await session.validationError();
  throw new BotTransientError(`Ekonomisystemet showed an unexpected page after the post: ${page.url()}`);
}
