/**
 * A system's login session travels from one job's context to the next as its cookies, as a clerk
 * keeps one browser logged in; localStorage does not travel (documented trade, bench/RESULTS.md).
 * Real Chromium against a local HTTP app that hands out a session cookie.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BrowserPool } from '../../bot-runtime/browser-pool.js';
import { executeBot, type SessionCache } from '../../bot-runtime/execute-bot.js';
import { defineBot } from '../../bots/define-bot.js';
import { chromiumPath } from '../support/chromium-path.js';

let server: Server;
let baseUrl = '';
let logins = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/login') {
      logins++;
      res.setHeader('Set-Cookie', `sid=s${logins}; HttpOnly; Path=/`);
    }
    const sid = /sid=(\w+)/.exec(req.headers.cookie ?? '')?.[1];
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(`<p id="who">${req.url === '/login' ? 'welcome' : (sid ?? 'anonymous')}</p>`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('sessions between jobs', () => {
  const pool = new BrowserPool({ executablePath: chromiumPath, recycleAfterJobs: 100, log: pino({ level: 'silent' }) });
  const dir = mkdtempSync(join(tmpdir(), 'avlasta-session-'));
  afterAll(async () => {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const bot = defineBot({
    id: 'session.check',
    input: z.object({}),
    output: z.object({ session: z.string(), stored: z.string().nullable() }),
    async run(ctx) {
      await ctx.page.goto(`${ctx.baseUrl}/whoami`);
      const stored = await ctx.page.evaluate(() => localStorage.getItem('draft'));
      await ctx.page.evaluate(() => localStorage.setItem('draft', 'x'));
      if ((await ctx.page.locator('#who').textContent()) === 'anonymous') await ctx.page.goto(`${ctx.baseUrl}/login`);
      await ctx.page.goto(`${ctx.baseUrl}/whoami`);
      return { session: (await ctx.page.locator('#who').textContent()) ?? '', stored };
    },
  });
  const job = (sessions: SessionCache, system: string, n: number) =>
    executeBot({
      bot,
      input: {},
      pool,
      sessions,
      system,
      saved: [],
      artifactDir: dir,
      artifactPrefix: `job${n}`,
      evidenceScreenshot: false,
      trace: false,
      mayAct: () => true,
      inFlight: { requests: 0 },
      context: {
        log: { info() {}, warn() {}, error() {} },
        secrets: {},
        signal: new AbortController().signal,
        idempotencyKey: `k${n}`,
        attempt: 1,
        baseUrl,
      },
    });

  it("logs in once per system; the next job starts logged in, without the last job's localStorage", async () => {
    const sessions: SessionCache = new Map();
    expect(await job(sessions, 'app', 1)).toEqual({ session: 's1', stored: null });
    expect(await job(sessions, 'app', 2)).toEqual({ session: 's1', stored: null });
    expect(logins).toBe(1);
    // Another system has its own session.
    expect(await job(sessions, 'other', 3)).toEqual({ session: 's2', stored: null });
    expect(logins).toBe(2);
  });
});
