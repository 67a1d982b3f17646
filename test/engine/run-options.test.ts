/** Run options where a run starts (engine/run-options.ts): their checks and the run keys they give. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineBot } from '../../bots/define-bot.js';
import { createBotRegistry } from '../../bots/registry.js';
import { automationSchema } from '../../definitions/schema.js';
import { checkRunOptions, checkTrialSafe, defaultRunKey } from '../../engine/run-options.js';

const bot = (id: string, trialSafe?: boolean) =>
  defineBot({ id, browser: false, trialSafe, input: z.object({}), output: z.object({}), run: async () => ({}) });
const registry = createBotRegistry(
  [bot('test.lookup', true), bot('test.old-register')].map((b) => ({ bot: b, source: 'test' })),
);
const definition = (bots: string[]) =>
  automationSchema.parse({
    id: 'trial-check',
    title: { sv: 'Prov', en: 'Trial' },
    department: 'test',
    manualMinutesPerItem: 1,
    items: { key: 'ref', fields: { ref: { type: 'string' } } },
    steps: bots.map((b, i) => ({ id: `s${i}`, type: 'bot', bot: b })),
  });

describe('a trial', () => {
  it('refuses a bot that does not declare trialSafe, naming it and what to read', () => {
    expect(() => checkTrialSafe(definition(['test.lookup', 'test.old-register']), registry, { trial: true })).toThrow(
      /trial-check cannot run as a trial: test\.old-register does not declare trialSafe: true.*Trial runs/,
    );
    expect(() => checkTrialSafe(definition(['test.lookup']), registry, { trial: true })).not.toThrow();
    // A real run is not its business.
    expect(() => checkTrialSafe(definition(['test.old-register']), registry, {})).not.toThrow();
  });
});

describe('run keys', () => {
  const hash = 'ab'.repeat(32);
  it('keep the plain run of a file its own id: a trial, a rerun and a sample get their own', () => {
    expect(defaultRunKey(hash, {})).toBe(hash.slice(0, 16));
    expect(defaultRunKey(hash, { trial: true, sample: 2 })).toMatch(
      new RegExp(`^${hash.slice(0, 16)}-trial-[a-z0-9]+$`),
    );
    expect(defaultRunKey(hash, { rerunCompleted: true })).toMatch(/-rerun-[a-z0-9]+$/);
    expect(defaultRunKey(hash, { sample: 5 })).toBe(`${hash.slice(0, 16)}-sample5`);
  });

  it('take a sample of at least one whole item', () => {
    expect(() => checkRunOptions({ sample: 0 })).toThrow(/at least 1/);
    expect(() => checkRunOptions({ sample: 1.5 })).toThrow(/whole number/);
    expect(checkRunOptions({ sample: 3, trial: false, rerunCompleted: false })).toEqual({ sample: 3 });
  });
});
