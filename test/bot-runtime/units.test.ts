/** Pure pieces of the bot runtime: registry, sealed job input, error messages, rate spacing, job ids. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { classifyBotError } from '../../bot-runtime/classify-error.js';
import { botJobId, describeZodError, isFresh } from '../../bot-runtime/job.js';
import { openValue, sealValue } from '../../bot-runtime/sealed-input.js';
import { evenlySpaced } from '../../bot-runtime/worker.js';
import { defineBot } from '../../bots/define-bot.js';
import { parsePayloadKeys } from '../../temporal/payload-key.js';
import { BotBusinessError, BotTransientError } from '../../bots/errors.js';
import { botsExportedBy, createBotRegistry } from '../../bots/registry.js';

const bot = (id: string) => defineBot({ id, input: z.object({}), output: z.object({}), run: async () => ({}) });

describe('bot registry', () => {
  const found = (b: ReturnType<typeof bot>, source: string) => ({ bot: b, source });
  it('maps ids to bots and refuses a duplicate id, naming both places', () => {
    expect([...createBotRegistry([found(bot('a.one'), 'x.ts'), found(bot('a.two'), 'x.ts')]).keys()]).toEqual([
      'a.one',
      'a.two',
    ]);
    expect(() => createBotRegistry([found(bot('a.one'), 'x.ts'), found(bot('a.one'), 'y.ts')])).toThrow(
      'Bot id "a.one" is defined twice, in x.ts and in y.ts',
    );
  });
  it('counts one bot reached through two modules once', () => {
    const one = bot('a.one');
    expect([...createBotRegistry([found(one, 'a.ts'), found(one, 'index.ts')]).keys()]).toEqual(['a.one']);
  });
  it("takes a module's defineBot results and ignores its other exports", () => {
    const one = bot('a.one');
    const lookalike = { id: 'a.two', input: z.object({}), output: z.object({}), run: async () => ({}) };
    expect(botsExportedBy({ one, lookalike, helper: () => 1, list: [one] }, 'm.ts')).toEqual([
      { bot: one, source: 'm.ts' },
    ]);
  });
});

describe('sealed job input', () => {
  const randomKeys = () => parsePayloadKeys(randomBytes(32).toString('base64'), 'test');
  const key = randomKeys();
  it('round-trips and holds no clear text', () => {
    const sealed = sealValue(key, { pnr: '19811218-9876' });
    expect(JSON.stringify(sealed)).not.toContain('9876');
    expect(openValue(key, sealed)).toEqual({ pnr: '19811218-9876' });
  });
  it('refuses another key and unsealed data', () => {
    expect(() => openValue(randomKeys(), sealValue(key, 1))).toThrow();
    expect(() => openValue(key, { pnr: 'x' } as never)).toThrow('job input is not sealed');
  });
});

describe('job freshness (when the staleness beat may be skipped)', () => {
  const enqueuedAt = '2026-11-27T10:00:00.000Z';
  const at = (ms: number) => Date.parse(enqueuedAt) + ms;
  it('is fresh only within its window', () => {
    expect(isFresh({ enqueuedAt, freshForMs: 10_000 }, at(9_999))).toBe(true);
    expect(isFresh({ enqueuedAt, freshForMs: 10_000 }, at(10_000))).toBe(false);
  });
  it('treats a job stamped in the future (clock skew) or without a valid time as not fresh', () => {
    expect(isFresh({ enqueuedAt, freshForMs: 10_000 }, at(-1))).toBe(false);
    expect(isFresh({ enqueuedAt: 'not a date', freshForMs: 10_000 }, at(0))).toBe(false);
  });
});

describe('messages and ids', () => {
  it('names the field and never the value', () => {
    const schema = z.object({
      registrationNumber: z.string(),
      rows: z.array(z.object({ amount: z.number().positive() })),
    });
    const result = schema.safeParse({ registrationNumber: 198112189876, rows: [{ amount: -1 }] });
    const message = describeZodError('output', result.error!);
    expect(message).toContain('output.registrationNumber: expected string');
    expect(message).toContain('output.rows.0.amount:');
    expect(message).not.toContain('198112189876');
  });
  it('classifies bot errors and masks personnummer in messages', () => {
    const business = classifyBotError('x.y', new BotBusinessError('unknown person 19811218-9876'));
    expect(business).toMatchObject({
      type: 'BotBusinessError',
      nonRetryable: true,
      message: 'x.y: unknown person 19811218-****',
    });
    expect(classifyBotError('x.y', new BotTransientError('503'))).toMatchObject({
      type: 'BotTransientError',
      nonRetryable: false,
    });
    expect(classifyBotError('x.y', new Error('timeout'))).toMatchObject({ type: 'BotError', nonRetryable: false });
  });
  it('builds job ids without ":" and spaces rate limits evenly', () => {
    expect(botJobId('run.a.item.b', '3', 2)).toBe('run.a.item.b.3.2');
    expect(botJobId('odd:id', '1', 1)).toBe('odd_id.1.1');
    expect(evenlySpaced({ max: 5, perMs: 1000 })).toEqual({ max: 1, duration: 210 });
    expect(evenlySpaced({ max: 100, perMs: 1000 })).toEqual({ max: 1, duration: 15 });
  });
});
