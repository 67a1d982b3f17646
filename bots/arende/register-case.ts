/**
 * arende.register-case: registers a case in Ärendesystemet through its three-step wizard.
 *
 * Idempotent: the application id is written into the case's "Extern referens", and the case list is
 * searched for it first — and again after any interrupted save, because a 503 or an expired session
 * on the confirmation page cannot tell us whether the case was stored.
 */
import { z } from 'zod';
import type { BotContext } from '../define-bot.js';
import { defineBot } from '../define-bot.js';
import { BotTransientError } from '../errors.js';
import { SystemSession } from '../../bot-runtime/system-session.js';
import { arende, titles } from './session.js';
import { caseTypeSchema, isoDateSchema, personnummerSchema } from './schemas.js';

const input = z
  .object({
    applicationId: z.string().min(1).max(100),
    personnummer: personnummerSchema,
    caseType: caseTypeSchema,
    applicationDate: isoDateSchema,
    statedAddress: z.string().min(1),
    details: z.string().min(1),
  })
  .strict();
type Input = z.infer<typeof input>;

/** Rounds of "save, then look in the case list" before the step is handed back to Temporal. */
const saveRounds = 3;

/** The case number stored under this external reference, if any (exact match, oldest first). */
async function findCase(session: SystemSession, ctx: BotContext, reference: string): Promise<string | undefined> {
  await session.open(`/arenden?referens=${encodeURIComponent(reference)}`, titles.caseList);
  const { page } = session;
  const rows = page.getByRole('row').filter({ has: page.getByRole('cell', { name: reference, exact: true }) });
  const numbers = await rows.getByRole('link').allTextContents();
  if (numbers.length > 1)
    ctx.log.warn('Several cases carry this application id', { applicationId: reference, cases: numbers });
  return numbers.at(-1)?.trim();
}

/** Steps 1 and 2 of the wizard; returns the path of the review page (step 3) of the new draft. */
async function fillDraft(session: SystemSession, item: Input): Promise<string> {
  const { page } = session;
  let heading = await session.submitForm(
    '/arenden/nytt',
    titles.step1,
    () => page.getByLabel('Personnummer', { exact: true }).fill(item.personnummer),
    () => page.getByRole('button', { name: 'Nästa' }).click(),
  );
  if (heading === titles.step1) throw await session.validationError('steg 1');
  if (heading !== titles.step2) throw new Error(`Ärendesystemet: unexpected page "${heading}" after step 1`);

  const detailsPath = new URL(page.url()).pathname;
  heading = await session.submitForm(
    detailsPath,
    titles.step2,
    async () => {
      await page.getByLabel('Ärendetyp').selectOption({ label: item.caseType });
      await page.getByLabel('Beskrivning').fill(item.details);
      await page.getByLabel('Ansökningsdatum', { exact: true }).fill(item.applicationDate);
      await page.getByLabel('Adress enligt ansökan').fill(item.statedAddress);
      await page.getByLabel('Extern referens').fill(item.applicationId);
    },
    () => page.getByRole('button', { name: 'Nästa' }).click(),
  );
  if (heading === titles.step2) throw await session.validationError('steg 2');
  if (heading !== titles.step3) throw new Error(`Ärendesystemet: unexpected page "${heading}" after step 2`);
  return new URL(page.url()).pathname;
}

/**
 * A trial's whole visit: the wizard's first page filled and photographed. Its "Nästa" would
 * already store a draft in Ärendesystemet, so a trial goes no further.
 */
async function fillFirstPage(session: SystemSession, item: Input, ctx: BotContext): Promise<string> {
  await session.open('/arenden/nytt', titles.step1);
  await session.page.getByLabel('Personnummer', { exact: true }).fill(item.personnummer);
  return ctx.artifacts.screenshot('trial-filled-form');
}

/** Step 3: opens the confirmation dialog, accepts it; returns the case number, or undefined if interrupted. */
async function confirmAndSave(session: SystemSession, reviewPath: string): Promise<string | undefined> {
  const { page } = session;
  await session.open(reviewPath, titles.step3);
  await page.getByRole('button', { name: 'Registrera ärende' }).click();
  const dialog = page.getByRole('dialog', { name: 'Bekräfta registrering' });
  const heading = await session.submit(() => dialog.getByRole('button', { name: 'Ja, registrera' }).click());
  if (heading === titles.step2) throw await session.validationError('registrering');
  if (heading !== titles.saved) return undefined;
  const caseNumber = ((await page.getByTestId('arendenummer').textContent()) ?? '').trim();
  if (!/^ÄR-\d{4}-\d{5}$/.test(caseNumber)) throw new Error(`Ärendesystemet: unreadable case number "${caseNumber}"`);
  return caseNumber;
}

export const registerCase = defineBot({
  id: 'arende.register-case',
  description: 'Registrerar ett ärende / Registers a case',
  input,
  // In a trial it fills its form, keeps a screenshot and sends nothing.
  trialSafe: true,
  output: z.union([
    z.object({ caseNumber: z.string(), alreadyRegistered: z.boolean() }).strict(),
    // A trial (ctx.trial): the first page of the wizard filled and photographed, never sent.
    z.object({ trial: z.literal(true), screenshot: z.string() }).strict(),
  ]),
  async run(ctx, item) {
    const session = new SystemSession(ctx, arende);
    const existing = await findCase(session, ctx, item.applicationId);
    if (existing) {
      ctx.log.info('Case already registered', { applicationId: item.applicationId, caseNumber: existing });
      return { caseNumber: existing, alreadyRegistered: true };
    }
    if (ctx.trial) return { trial: true as const, screenshot: await fillFirstPage(session, item, ctx) };
    const reviewPath = await fillDraft(session, item);
    for (let round = 1; round <= saveRounds; round++) {
      const saved = (await confirmAndSave(session, reviewPath)) ?? (await findCase(session, ctx, item.applicationId));
      if (saved) {
        ctx.log.info('Case registered', { applicationId: item.applicationId, caseNumber: saved, round });
        return { caseNumber: saved, alreadyRegistered: false };
      }
      ctx.log.warn('Saving was interrupted and the case is not in the list; confirming again', { round });
    }
    throw new BotTransientError(`Ärendesystemet: the case could not be saved in ${saveRounds} rounds`, 'UNAVAILABLE');
  },
});
