/**
 * A system's session, one model: the runtime carries a system's cookies from one job to the next
 * (SessionCache), and within a job SystemSession logs in when the login page shows, again after
 * the system expired the session, asks again through 503s, and refuses what retrying cannot mend.
 * Real Chromium through executeBot against a small local app with a login.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BrowserPool } from '../../bot-runtime/browser-pool.js';
import { executeBot } from '../../bot-runtime/execute-bot.js';
import { SystemSession, type SessionCache, type SessionSettings } from '../../bot-runtime/system-session.js';
import { defineBot } from '../../bots/define-bot.js';
import { BotBusinessError, BotTransientError } from '../../bots/errors.js';
import { chromiumPath } from '../support/chromium-path.js';

const credentials = { username: 'robot', password: 'hemligt' };
const settings: SessionSettings = {
  system: 'Testsystemet',
  loginPage: 'Logga in',
  loginForm: { username: 'Användarnamn', password: 'Lösenord', submit: 'Logga in' },
  loginRefused: 'Fel användarnamn eller lösenord',
  unavailablePage: 'Tjänsten är tillfälligt otillgänglig',
};

/** The app's state, which the tests steer and read. */
const app = { logins: 0, sessions: new Set<string>(), unavailable: 0, expireBeforePost: false, posts: 0 };
let server: Server;
let baseUrl = '';

const html = (title: string, body: string) =>
  `<!doctype html><html lang="sv"><head><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
const loginPage = (next: string, refused = false) =>
  html(
    'Logga in',
    `${refused ? '<p role="alert">Fel användarnamn eller lösenord.</p>' : ''}
<form method="post" action="/login"><input type="hidden" name="next" value="${next}">
<label>Användarnamn <input name="username"></label><label>Lösenord <input name="password" type="password"></label>
<button type="submit">Logga in</button></form>`,
  );

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body: string, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(body);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    if (app.unavailable > 0) {
      app.unavailable--;
      return send(503, html(settings.unavailablePage, '<p>Försök igen om en stund.</p>'));
    }
    if (url.pathname === '/login' && req.method === 'POST') {
      if (body.get('username') !== credentials.username || body.get('password') !== credentials.password)
        return send(200, loginPage(body.get('next') ?? '/', true));
      const sid = `s${++app.logins}`;
      app.sessions.add(sid);
      return send(303, '', { location: body.get('next') ?? '/', 'set-cookie': `sid=${sid}; HttpOnly; Path=/` });
    }
    if (url.pathname === '/login') return send(200, loginPage(url.searchParams.get('next') ?? '/'));
    const sid = /sid=(\w+)/.exec(req.headers.cookie ?? '')?.[1] ?? '';
    if (req.method === 'POST' && app.expireBeforePost) app.sessions.clear();
    if (!app.sessions.has(sid))
      return send(303, '', { location: `/login?next=${encodeURIComponent(url.pathname + url.search)}` });
    if (url.pathname === '/form' && req.method === 'POST') {
      app.posts++;
      return send(200, html('Mottaget', `<p>${body.get('text')}</p>`));
    }
    if (url.pathname === '/form')
      return send(
        200,
        html('Formulär', '<form method="post"><label>Text <input name="text"></label><button>Skicka</button></form>'),
      );
    send(200, html('Inloggad', `<p id="who">${sid}</p>`));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => Object.assign(app, { unavailable: 0, expireBeforePost: false }));

const pool = new BrowserPool({ executablePath: chromiumPath, recycleAfterJobs: 100, log: pino({ level: 'silent' }) });
const dir = mkdtempSync(join(tmpdir(), 'avlasta-session-'));
afterAll(async () => {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Opens the page only a logged-in user sees; reports the session and last job's localStorage. */
const whoami = (session: SessionSettings = settings) =>
  defineBot({
    id: 'test.whoami',
    input: z.object({}),
    output: z.object({ session: z.string(), stored: z.string().nullable() }),
    async run(ctx) {
      const system = new SystemSession(ctx, session);
      await system.open('/whoami', 'Inloggad');
      const stored = await ctx.page.evaluate(() => localStorage.getItem('draft'));
      await ctx.page.evaluate(() => localStorage.setItem('draft', 'x'));
      return { session: (await ctx.page.locator('#who').textContent()) ?? '', stored };
    },
  });

/** Sends a form once and reports the heading that came back (null: interrupted). */
const postOnce = defineBot({
  id: 'test.post',
  input: z.object({}),
  output: z.object({ heading: z.string().nullable() }),
  async run(ctx) {
    const system = new SystemSession(ctx, settings);
    await system.open('/form', 'Formulär');
    await ctx.page.getByLabel('Text').fill('hej');
    const heading = await system.submit(() => ctx.page.getByRole('button', { name: 'Skicka' }).click());
    return { heading: heading ?? null };
  },
});

let jobs = 0;
function job(
  bot: ReturnType<typeof whoami> | typeof postOnce,
  sessions: SessionCache,
  opts: { system?: string; secrets?: Record<string, string>; logs?: string[] } = {},
) {
  const line = (msg: string) => void opts.logs?.push(msg);
  return executeBot({
    bot,
    input: {},
    pool,
    sessions,
    system: opts.system ?? 'test',
    saved: [],
    artifactDir: dir,
    artifactPrefix: `job${++jobs}`,
    evidenceScreenshot: false,
    trace: false,
    mayAct: () => true,
    inFlight: { requests: 0 },
    context: {
      log: { info: line, warn: line, error: line },
      secrets: opts.secrets ?? credentials,
      signal: new AbortController().signal,
      idempotencyKey: `k${jobs}`,
      attempt: 1,
      baseUrl,
    },
  });
}

describe('a system session', () => {
  it("logs in once per system; the next job starts logged in, without the last job's localStorage", async () => {
    const sessions: SessionCache = new Map();
    const logins = app.logins;
    const logs: string[] = [];
    expect(await job(whoami(), sessions, { logs })).toEqual({ session: `s${logins + 1}`, stored: null });
    expect(await job(whoami(), sessions, { logs })).toEqual({ session: `s${logins + 1}`, stored: null });
    expect(logs.filter((l) => l === 'Logging in to Testsystemet')).toHaveLength(1);
    // Another system has its own session.
    expect(await job(whoami(), sessions, { system: 'other' })).toEqual({ session: `s${logins + 2}`, stored: null });
  });

  it('logs in again when the system has expired the session it carried', async () => {
    const sessions: SessionCache = new Map();
    await job(whoami(), sessions);
    app.sessions.clear();
    const logs: string[] = [];
    expect(await job(whoami(), sessions, { logs })).toEqual({ session: `s${app.logins}`, stored: null });
    expect(logs).toContain('Logging in to Testsystemet');
  });

  it('asks again while the system answers 503, and hands the step back once that is too often', async () => {
    const sessions: SessionCache = new Map();
    await job(whoami(), sessions);
    app.unavailable = 2;
    const logs: string[] = [];
    expect(await job(whoami(), sessions, { logs })).toMatchObject({ session: `s${app.logins}` });
    expect(logs.filter((l) => l.includes('503'))).toHaveLength(2);
    app.unavailable = 10;
    const err = await job(whoami({ ...settings, maxInterruptions: 2 }), sessions).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BotTransientError);
    expect(err).toMatchObject({ code: 'UNAVAILABLE' });
    expect((err as Error).message).toBe(
      'Testsystemet: could not open /whoami (2 interruptions, the last: unavailable page)',
    );
  });

  it('reports a form whose session expired on the way as interrupted, and the page that came back otherwise', async () => {
    const sessions: SessionCache = new Map();
    const posts = app.posts;
    expect(await job(postOnce, sessions)).toEqual({ heading: 'Mottaget' });
    app.expireBeforePost = true;
    expect(await job(postOnce, sessions)).toEqual({ heading: null });
    expect(app.posts).toBe(posts + 1);
  });

  it('refuses missing secrets and wrong credentials as business errors, one code each', async () => {
    for (const [secrets, code, message] of [
      [{}, 'CONFIGURATION', 'Testsystemet: the secrets "username" and "password" are not configured'],
      [{ ...credentials, password: 'fel' }, 'LOGIN_FAILED', 'Testsystemet: inloggningen misslyckades'],
    ] as const) {
      const err = await job(whoami(), new Map(), { secrets }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BotBusinessError);
      expect(err).toMatchObject({ code });
      expect((err as Error).message).toContain(message);
    }
  });
});
