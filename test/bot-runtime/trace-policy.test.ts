/** Which attempts record a Playwright trace, and that a failure keeps one only when recorded. */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BrowserPool } from '../../bot-runtime/browser-pool.js';
import { executeBot, shouldTrace } from '../../bot-runtime/execute-bot.js';
import { defineBot } from '../../bots/define-bot.js';
import { chromiumPath } from '../support/chromium-path.js';

describe('trace policy', () => {
  it('traces every attempt, retries only, or never', () => {
    expect([1, 2].map((a) => shouldTrace('always', a))).toEqual([true, true]);
    expect([1, 2, 3].map((a) => shouldTrace('retries', a))).toEqual([false, true, true]);
    expect([1, 2].map((a) => shouldTrace('off', a))).toEqual([false, false]);
  });

  const pool = new BrowserPool({ executablePath: chromiumPath, recycleAfterJobs: 100, log: pino({ level: 'silent' }) });
  const dir = mkdtempSync(join(tmpdir(), 'avlasta-trace-'));
  afterAll(async () => {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const failing = defineBot({
    id: 'trace.fail',
    input: z.object({}),
    output: z.object({}),
    async run(ctx) {
      await ctx.page.setContent('<p>Fel</p>');
      throw new Error('the form refused');
    },
  });
  const run = (trace: boolean, prefix: string) => {
    const saved: string[] = [];
    const context = {
      log: { info() {}, warn() {}, error() {} },
      secrets: {},
      signal: new AbortController().signal,
      idempotencyKey: 'k',
      attempt: 1,
      baseUrl: '',
    };
    const done = executeBot({
      bot: failing,
      input: {},
      pool,
      context,
      artifactDir: dir,
      artifactPrefix: prefix,
      saved,
      sessions: new Map(),
      system: 'trace',
      evidenceScreenshot: false,
      trace,
      mayAct: () => true,
      inFlight: { requests: 0 },
    });
    return done.then(
      () => saved,
      (err: Error) => {
        expect(err.message).toBe('the form refused');
        return saved;
      },
    );
  };

  it('keeps screenshot and trace of a traced failure, only the screenshot of an untraced one', async () => {
    const traced = await run(true, 'traced');
    expect(traced.map((p) => p.slice(dir.length + 1)).sort()).toEqual(['traced-failure.png', 'traced-trace.zip']);
    const untraced = await run(false, 'untraced');
    expect(untraced.map((p) => p.slice(dir.length + 1))).toEqual(['untraced-failure.png']);
    expect(existsSync(join(dir, 'untraced-trace.zip'))).toBe(false);
    // It may show personal data: readable by the bot worker's user only.
    expect(statSync(join(dir, 'untraced-failure.png')).mode & 0o777).toBe(0o600);
  });
});
