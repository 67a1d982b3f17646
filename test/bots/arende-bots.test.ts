/** The Ärendesystemet bots against the real app (port 0, temp SQLite) in real Chromium. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lookupResident } from '../../bots/arende/lookup-resident.js';
import { registerCase } from '../../bots/arende/register-case.js';
import { BotBusinessError, BotTransientError } from '../../bots/errors.js';
import { startArende, type RunningArende } from '../../demo/arende/server.js';
import { seedResidents } from '../../demo/arende/residents.js';
import { withCheckDigit } from '../../demo/arende/personnummer.js';
import { yesterday } from '../demo/arende-http.js';
import { botContext, launchChromium, type LogLine, type TestBotContext } from './bot-context.js';

const dir = mkdtempSync(join(tmpdir(), 'arende-bots-'));
const residents = seedResidents();
const credentials = { username: 'robot', password: 'test-losen' };
let browser: Browser;
let calm: RunningArende;
const opened: TestBotContext[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  calm = await startArende({ port: 0, dbFile: join(dir, 'calm.sqlite'), ...credentials, trouble: false });
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.close()));
});
afterAll(async () => {
  await browser?.close();
  await calm?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function context(baseUrl: string, key = 'test-key'): Promise<TestBotContext> {
  const c = await botContext(browser, { baseUrl, idempotencyKey: key, secrets: credentials });
  opened.push(c);
  return c;
}

function application(id: string, residentIndex = 1) {
  const r = residents[residentIndex];
  return {
    applicationId: id,
    personnummer: r.personnummer,
    caseType: 'Befrielse från skolmåltidsavgift' as const,
    applicationDate: yesterday(),
    statedAddress: r.address,
    details: 'Ansökan via e-tjänsten',
  };
}

/** A real run's output (not a trial's). */
function registered(out: unknown): { caseNumber: string; alreadyRegistered: boolean } {
  if (typeof out !== 'object' || out === null || !('caseNumber' in out)) throw new Error('not a registration');
  return out as { caseNumber: string; alreadyRegistered: boolean };
}

const casesWith = (app: RunningArende, ref: string) => app.db.searchCases(ref).filter((c) => c.externalRef === ref);

/** No personnummer (12 or 10 digits) may appear in what the bot logged. */
function expectNoPersonnummer(t: TestBotContext) {
  expect(JSON.stringify(t.logs)).not.toMatch(/\d{6}-?\d{4}/);
}

describe('arende.lookup-resident', () => {
  it('finds a registered resident with name and address', async () => {
    const t = await context(calm.url);
    const r = residents[9]; // a samordningsnummer
    const out = await lookupResident.run(t.ctx, { personnummer: r.personnummer });
    expect(lookupResident.output.parse(out)).toEqual({ found: true, name: r.name, registeredAddress: r.address });
    expectNoPersonnummer(t);
  });

  it('reports a valid but unregistered personnummer as not found', async () => {
    const t = await context(calm.url);
    const out = await lookupResident.run(t.ctx, { personnummer: withCheckDigit('20000101-980') });
    expect(out).toEqual({ found: false });
  });

  it('turns the system validation message into a BotBusinessError', async () => {
    const t = await context(calm.url);
    const wrongCheck = `${residents[2].personnummer.slice(0, -1)}${(Number(residents[2].personnummer.at(-1)) + 1) % 10}`;
    const err = await lookupResident.run(t.ctx, { personnummer: wrongCheck }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BotBusinessError);
    expect((err as Error).message).toContain('Personnumrets kontrollsiffra stämmer inte.');
  });
});

describe('arende.register-case', () => {
  it('registers exactly one case and reports it as already registered the second time', async () => {
    const item = application('E-2026-0001');
    const first = registered(await registerCase.run((await context(calm.url)).ctx, item));
    expect(first.caseNumber).toMatch(/^ÄR-\d{4}-\d{5}$/);
    expect(first.alreadyRegistered).toBe(false);
    const t = await context(calm.url);
    const second = await registerCase.run(t.ctx, item);
    expect(second).toEqual({ caseNumber: first.caseNumber, alreadyRegistered: true });
    const rows = casesWith(calm, 'E-2026-0001');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      caseNumber: first.caseNumber,
      personnummer: item.personnummer,
      applicationDate: item.applicationDate,
    });
    expectNoPersonnummer(t);
  });

  it('in a trial fills the first page, keeps its screenshot and stores neither a case nor a draft', async () => {
    const drafts = () => {
      const db = new Database(join(dir, 'calm.sqlite'), { readonly: true });
      const row = db.prepare('SELECT COUNT(*) n FROM drafts').get() as { n: number };
      db.close();
      return row.n;
    };
    const before = drafts();
    const t = await context(calm.url);
    t.ctx.trial = true;
    const out = await registerCase.run(t.ctx, application('E-2026-TRIAL'));
    expect(out).toMatchObject({ trial: true });
    expect(existsSync((out as { screenshot: string }).screenshot)).toBe(true);
    expect(casesWith(calm, 'E-2026-TRIAL')).toHaveLength(0);
    expect(drafts()).toBe(before);
  });

  it('fails with the system text as a BotBusinessError on a validation error, saving nothing', async () => {
    const t = await context(calm.url);
    const err = await registerCase
      .run(t.ctx, { ...application('E-2026-0002'), applicationDate: '2999-12-31' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BotBusinessError);
    expect((err as Error).message).toContain('Ansökningsdatum kan inte vara ett framtida datum.');
    expect(casesWith(calm, 'E-2026-0002')).toHaveLength(0);
  });

  it('fails as a business error, without the personnummer in the message, for an unknown resident', async () => {
    const t = await context(calm.url);
    const err = await registerCase
      .run(t.ctx, { ...application('E-2026-0003'), personnummer: '19121212-1212' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BotBusinessError);
    expect((err as Error).message).toContain('Det finns ingen invånare med det personnumret i registret.');
    expect((err as Error).message).not.toContain('1212');
  });
});

describe('with frequent 503s and expiring sessions', () => {
  let rough: RunningArende;
  beforeAll(async () => {
    rough = await startArende({
      port: 0,
      dbFile: join(dir, 'rough.sqlite'),
      ...credentials,
      trouble: { errorRate: 0.2, sessionExpiryRate: 0.15, slowRate: 0.1, slowMs: 100, seed: 42 },
    });
  });
  afterAll(async () => rough?.close());

  /** As Temporal would: a transient failure is retried with a fresh browser context, up to 5 attempts. */
  async function runLikeTemporal<I, O>(
    bot: { run(ctx: TestBotContext['ctx'], input: I): Promise<O> },
    input: I,
    key: string,
    logs: LogLine[],
  ) {
    for (let attempt = 1; ; attempt++) {
      const t = await context(rough.url, key);
      t.ctx.attempt = attempt;
      try {
        return await bot.run(t.ctx, input);
      } catch (err) {
        if (!(err instanceof BotTransientError) || attempt === 5) throw err;
        t.logs.push({ level: 'warn', msg: 'attempt failed transiently', data: { message: err.message } });
      } finally {
        logs.push(...t.logs);
        await t.close();
      }
    }
  }

  it('still registers each case exactly once, logging in again and retrying on the way', async () => {
    const logs: LogLine[] = [];
    const ids = ['R-1', 'R-2', 'R-3'];
    for (const [i, id] of ids.entries()) {
      const item = application(id, 10 + i);
      const found = await runLikeTemporal(lookupResident, { personnummer: item.personnummer }, id, logs);
      expect(found.registeredAddress).toBe(item.statedAddress);
      const out = registered(await runLikeTemporal(registerCase, item, id, logs));
      expect(casesWith(rough, id).map((c) => c.caseNumber)).toEqual([out.caseNumber]);
    }
    expect(rough.db.countCases()).toBe(ids.length);
    // The trouble really happened: more logins than bot runs, and pages or forms that were retried.
    expect(logs.filter((l) => l.msg === 'Logging in to Ärendesystemet').length).toBeGreaterThan(2 * ids.length);
    expect(logs.filter((l) => /503|lost the form/.test(l.msg)).length).toBeGreaterThan(3);
    expect(JSON.stringify(logs)).not.toMatch(/\d{6}-?\d{4}/);
  }, 150_000);
});
