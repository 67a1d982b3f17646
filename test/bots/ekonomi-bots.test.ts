import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BotDefinition } from '../../bots/define-bot.js';
import { lookupSupplier } from '../../bots/ekonomi/lookup-supplier.js';
import { registerInvoice } from '../../bots/ekonomi/register-invoice.js';
import { BotBusinessError, BotTransientError } from '../../bots/errors.js';
import { startEkonomi, type EkonomiOptions, type RunningEkonomi } from '../../demo/ekonomi/server.js';
import { botContext, launchChromium, type LogLine } from './bot-context.js';

const dir = mkdtempSync(join(tmpdir(), 'ekonomi-bots-'));
let browser: Browser;
let app: RunningEkonomi | undefined;
let dbCount = 0;
const credentials = { username: 'robot', password: 'hemligt' };

async function start(extra: Partial<EkonomiOptions> = {}): Promise<RunningEkonomi> {
  app = await startEkonomi({
    port: 0,
    dbFile: join(dir, `db${++dbCount}.sqlite`),
    ...credentials,
    trouble: false,
    ...extra,
  });
  return app;
}

/** What the bot worker does: validate input, run in a fresh browser context, validate output. */
async function run<I, O>(
  bot: BotDefinition,
  input: I,
  opts: { baseUrl: string; idempotencyKey?: string; attempt?: number; logs?: LogLine[] },
): Promise<O> {
  const t = await botContext(browser, { ...opts, secrets: credentials });
  try {
    return bot.output.parse(await bot.run(t.ctx, bot.input.parse(input))) as O;
  } finally {
    opts.logs?.push(...t.logs);
    await t.close();
  }
}

/** What Temporal does on top: a BotTransientError is retried (same idempotency key, next attempt). */
async function runWithRetries<O>(
  bot: BotDefinition,
  input: unknown,
  opts: { baseUrl: string; idempotencyKey: string; logs: LogLine[] },
): Promise<O> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run<unknown, O>(bot, input, { ...opts, attempt });
    } catch (err) {
      if (!(err instanceof BotTransientError) || attempt >= 3) throw err;
      opts.logs.push({ level: 'warn', msg: `attempt ${attempt} failed, retried as Temporal would: ${err.message}` });
    }
  }
}

const invoice = {
  invoiceNumber: 'F-5001',
  orgnr: '559900-0014',
  amount: 12345.5,
  dueDate: '2099-06-30',
  costCentre: '3100',
};

beforeAll(async () => {
  browser = await launchChromium();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Ekonomisystemet bots', () => {
  it('lookup-supplier finds a known supplier and says so for an unknown one', async () => {
    const { url } = await start();
    expect(await run(lookupSupplier, { orgnr: '5599000014' }, { baseUrl: url })).toEqual({
      known: true,
      name: 'Norrlands Kontorsmaterial AB',
      address: 'Storgatan 1, 831 30 Östersund',
    });
    expect(await run(lookupSupplier, { orgnr: '559900-9015' }, { baseUrl: url })).toEqual({ known: false });
  });

  it('register-invoice registers exactly once and a second call finds the first', async () => {
    const ek = await start();
    const first = await run<unknown, { registrationNumber: string; alreadyRegistered: boolean }>(
      registerInvoice,
      invoice,
      { baseUrl: ek.url },
    );
    expect(first).toEqual({ registrationNumber: `LF-${new Date().getFullYear()}-000001`, alreadyRegistered: false });
    const row = ek.db.sameInvoice('559900-0014', 'F-5001')[0];
    expect(row).toMatchObject({
      amountOre: 1234550,
      dueDate: '2099-06-30',
      costCentre: '3100',
      reference: 'test-run/item-1/register',
    });
    const again = await run(registerInvoice, invoice, { baseUrl: ek.url, attempt: 2 });
    expect(again).toEqual({ registrationNumber: first.registrationNumber, alreadyRegistered: true });
    expect(ek.db.countInvoices('F-5001')).toBe(1);
  });

  it('finds the invoice in the list instead of posting again when the answer to its post is lost', async () => {
    const ek = await start();
    const t = await botContext(browser, { baseUrl: ek.url, secrets: credentials });
    // The post reaches Ekonomisystemet and is registered, but its answer is lost on the way back.
    let posts = 0;
    await t.ctx.page.route('**/fakturor/ny', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      posts++;
      await route.fetch({ maxRedirects: 0 });
      await route.abort('connectionreset');
    });
    try {
      expect(await registerInvoice.run(t.ctx, invoice)).toEqual({
        registrationNumber: `LF-${new Date().getFullYear()}-000001`,
        alreadyRegistered: false,
      });
    } finally {
      await t.close();
    }
    expect(posts).toBe(1);
    expect(ek.db.countInvoices('F-5001')).toBe(1);
    const retried = await run(registerInvoice, invoice, { baseUrl: ek.url, attempt: 2 });
    expect(retried).toEqual({ registrationNumber: `LF-${new Date().getFullYear()}-000001`, alreadyRegistered: true });
    expect(ek.db.countInvoices('F-5001')).toBe(1);
  });

  it('reports the system validation message as a BotBusinessError', async () => {
    const ek = await start();
    const error = (await run(registerInvoice, { ...invoice, dueDate: '2020-01-31' }, { baseUrl: ek.url }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error).toBeInstanceOf(BotBusinessError);
    expect(error.message).toBe('Ekonomisystemet: Förfallodatum 2020-01-31 har redan passerat.');
    const unknown = (await run(registerInvoice, { ...invoice, orgnr: '559900-9015' }, { baseUrl: ek.url }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(unknown).toBeInstanceOf(BotBusinessError);
    expect(unknown.message).toBe(
      'Ekonomisystemet: Leverantören med organisationsnummer 559900-9015 finns inte i leverantörsregistret.',
    );
    expect(ek.db.countInvoices()).toBe(0);
  });

  it('gives up with a clear BotBusinessError on wrong or missing credentials', async () => {
    const { url } = await start();
    for (const [secrets, code] of [
      [{ username: 'robot', password: 'fel' }, 'LOGIN_FAILED'],
      [{}, 'CONFIGURATION'],
    ] as const) {
      const t = await botContext(browser, { baseUrl: url, secrets });
      try {
        const err = await lookupSupplier.run(t.ctx, { orgnr: '559900-0014' }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(BotBusinessError);
        expect(err).toMatchObject({ code });
        expect((err as Error).message).toMatch(/^Ekonomisystemet: /);
      } finally {
        await t.close();
      }
    }
  });

  it('completes through frequent 503s and expired sessions, registering each invoice once', async () => {
    const ek = await start({
      trouble: { errorRate: 0.25, sessionExpiryRate: 0.25, slowRate: 0.2, slowMs: 100, seed: 20261127 },
    });
    const logs: LogLine[] = [];
    for (let i = 1; i <= 3; i++) {
      const item = { ...invoice, invoiceNumber: `T-${i}` };
      const key = `trouble-run/T-${i}/register`;
      const looked = await runWithRetries<{ known: boolean }>(
        lookupSupplier,
        { orgnr: item.orgnr },
        { baseUrl: ek.url, idempotencyKey: key, logs },
      );
      expect(looked.known).toBe(true);
      const out = await runWithRetries<{ registrationNumber: string }>(registerInvoice, item, {
        baseUrl: ek.url,
        idempotencyKey: key,
        logs,
      });
      expect(out.registrationNumber).toMatch(/^LF-\d{4}-\d{6}$/);
      expect(ek.db.countInvoices(`T-${i}`)).toBe(1);
    }
    expect(ek.db.countInvoices()).toBe(3);
    // The trouble really happened and the bots recovered from it themselves.
    expect(logs.filter((l) => l.msg.includes('503')).length).toBeGreaterThan(0);
    expect(logs.filter((l) => l.msg === 'Logging in to Ekonomisystemet').length).toBeGreaterThan(3);
  }, 240_000);
});
