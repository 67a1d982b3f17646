/**
 * The app factory every demo system is built on: Fastify with form bodies and cookies, a login
 * wall with idle-expiring sessions, the trouble middleware and the page layout. A system adds its
 * own routes in `routes(app, kit)`; every route except /login, /logout and /health needs a login.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import cookie from '@fastify/cookie';
import { html, layout, type DemoPage, type NavLink } from './html.js';
import { SessionStore, sessionCookie } from './sessions.js';
import { Trouble, resolveTrouble, type TroubleOptions } from './trouble.js';
import { loginPage, safeNext } from './login-page.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The logged-in user; '' on public routes. */
    username: string;
  }
}

export interface DemoKit {
  /** Renders `page` in the system's layout (menu, logged-in user) and sends it. */
  send(request: FastifyRequest, reply: FastifyReply, page: DemoPage): FastifyReply;
}

export interface DemoAppOptions {
  /** Shown in the header and the <title>, e.g. "Ekonomisystemet". */
  appName: string;
  username: string;
  password: string;
  /** A session unused this long is gone. @defaultValue 900000 (15 min) */
  sessionIdleMs?: number;
  /**
   * `false` turns trouble off; a partial object overrides the low default rates; a Trouble
   * instance is used as it is (its owner can change its slowdown while the app runs).
   */
  trouble?: Partial<TroubleOptions> | false | Trouble;
  nav?: NavLink[];
  routes(app: FastifyInstance, kit: DemoKit): void | Promise<void>;
}

const publicPaths = new Set(['/login', '/logout', '/health']);
const untroubledPaths = new Set(['/health', '/favicon.ico']);

function sameSecret(a: string, b: string): boolean {
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(a), h(b));
}

function pathOf(url: string): string {
  return url.split('?')[0];
}

export async function buildDemoApp(opts: DemoAppOptions): Promise<FastifyInstance> {
  if (!opts.username || !opts.password) throw new Error(`${opts.appName}: username and password are required`);
  const trouble = opts.trouble instanceof Trouble ? opts.trouble : new Trouble(resolveTrouble(opts.trouble));
  const sessions = new SessionStore(opts.sessionIdleMs ?? 15 * 60_000);
  const app = Fastify({ logger: false });
  await app.register(formbody);
  await app.register(cookie);
  app.decorateRequest('username', '');

  const kit: DemoKit = {
    send(request, reply, page) {
      const body = layout({
        appName: opts.appName,
        title: page.title,
        body: page.body,
        username: request.username || undefined,
        nav: opts.nav,
      });
      return reply
        .code(page.status ?? 200)
        .type('text/html; charset=utf-8')
        .send(body);
    },
  };

  app.addHook('onRequest', async (request, reply) => {
    // The browser's own favicon requests are not the bot's work: keep them out of the trouble draw
    // so a fixed seed replays the same trouble for the same bot requests.
    if (untroubledPaths.has(pathOf(request.url))) return;
    const { delayMs, fail } = trouble.forRequest();
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    if (fail) {
      const body = html`<p role="alert">Tjänsten är tillfälligt otillgänglig. Försök igen om en stund.</p>`;
      return kit.send(request, reply.header('retry-after', '1'), {
        title: 'Tjänsten är tillfälligt otillgänglig',
        body,
        status: 503,
      });
    }
  });

  app.addHook('preHandler', async (request, reply) => {
    if (publicPaths.has(pathOf(request.url))) return;
    const sid = request.cookies[sessionCookie];
    let user = sessions.touch(sid);
    if (user && trouble.expireSession()) {
      sessions.drop(sid);
      user = undefined;
    }
    if (user) {
      request.username = user;
      return;
    }
    // A GET comes back to where it was; a lost POST goes back to the page the form was on.
    const back = request.method === 'GET' ? request.url : safeNext(request.headers.referer);
    const reason = sid ? '&orsak=utgangen' : '';
    return reply.redirect(`/login?next=${encodeURIComponent(back)}${reason}`, 303);
  });

  app.get('/health', async () => ({ ok: true }));

  app.get<{ Querystring: { next?: string; orsak?: string } }>('/login', async (request, reply) =>
    kit.send(
      request,
      reply,
      loginPage({ next: safeNext(request.query.next), expired: request.query.orsak === 'utgangen' }),
    ),
  );

  app.post<{ Body: { username?: string; password?: string; next?: string } }>('/login', async (request, reply) => {
    const { username = '', password = '', next } = request.body ?? {};
    if (!sameSecret(username, opts.username) || !sameSecret(password, opts.password)) {
      return kit.send(request, reply, loginPage({ next: safeNext(next), failed: true, username }));
    }
    const sid = sessions.create(username);
    reply.setCookie(sessionCookie, sid, { path: '/', httpOnly: true, sameSite: 'lax' });
    return reply.redirect(safeNext(next), 303);
  });

  app.post('/logout', async (request, reply) => {
    sessions.drop(request.cookies[sessionCookie]);
    reply.clearCookie(sessionCookie, { path: '/' });
    return reply.redirect('/login', 303);
  });

  await opts.routes(app, kit);
  return app;
}

export interface RunningDemoApp {
  /** e.g. "http://127.0.0.1:41234" (no trailing slash). */
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Builds the app and listens on 127.0.0.1 at `port` (0 = any free port). */
export async function startDemoApp(opts: DemoAppOptions & { port: number }): Promise<RunningDemoApp> {
  const app = await buildDemoApp(opts);
  await app.listen({ host: '127.0.0.1', port: opts.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return { url: `http://127.0.0.1:${port}`, app, close: () => app.close() };
}

/** What starting any demo system takes: the app's credentials and behaviour, where it listens, its database file. */
export interface DemoSystemOptions extends Pick<DemoAppOptions, 'username' | 'password' | 'sessionIdleMs' | 'trouble'> {
  /** 0 = any free port (always 127.0.0.1). */
  port: number;
  /** SQLite file, created and seeded when missing; ':memory:' works for tests. */
  dbFile: string;
}

/** A demo system listening over its own database, which tests read to count rows. */
export interface RunningDemoSystem<Db> {
  /** e.g. "http://127.0.0.1:41234" (no trailing slash). */
  url: string;
  db: Db;
  /** Closes the app, then its database. */
  close(): Promise<void>;
}

/** Starts a demo system over `db`, which it owns from then on: closed with the app, or at once when the start fails. */
export async function startDemoSystem<Db extends { close(): void }>(
  db: Db,
  opts: DemoAppOptions & { port: number },
): Promise<RunningDemoSystem<Db>> {
  try {
    const running = await startDemoApp(opts);
    return {
      url: running.url,
      db,
      close: async () => {
        await running.close();
        db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}
