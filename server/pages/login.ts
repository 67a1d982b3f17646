/** Sign-in and sign-out. The login form has its own anonymous session so it carries a CSRF token too. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { SESSION_COOKIE, sessionCookieOptions } from '../auth/identify.js';
import { requireCsrf } from '../auth/guards.js';
import { signInWithPassword } from '../auth/password-sign-in.js';
import type { ServerContext } from '../context.js';
import { messageFor } from '../errors.js';
import { html } from '../html.js';
import { formatTime, texts, type Lang } from '../i18n.js';
import { page } from './layout.js';

const loginForm = z.object({
  _csrf: z.string().optional(),
  userId: z.string().trim().toLowerCase().max(64).default(''),
  password: z.string().max(1024).default(''),
  next: z.string().max(2000).optional(),
});

const SAME_ORIGIN = 'http://avlasta.invalid';

/**
 * Only a path on this server: never an open redirect. Printable ASCII only, since browsers drop
 * tabs and newlines from a Location ("/\t/evil" becomes "//evil") and a header cannot carry
 * control characters or U+2028 at all; and it must still name this origin once a URL parser has
 * read it ("/\\evil" is "//evil" to a browser).
 */
function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !/^\/[\x21-\x7e]*$/.test(next) || /^\/[/\\]/.test(next)) return '/inbox';
  let target: URL;
  try {
    target = new URL(next, SAME_ORIGIN);
  } catch {
    return '/inbox';
  }
  if (target.origin !== SAME_ORIGIN || target.pathname.startsWith('/login')) return '/inbox';
  return `${target.pathname}${target.search}`;
}

export async function loginPages(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const ensureSession = (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.session) {
      request.session = ctx.sessions.create();
      reply.setCookie(SESSION_COOKIE, request.session.id, sessionCookieOptions(ctx.secureCookies));
    }
    return request.session;
  };

  const render = (
    request: FastifyRequest,
    reply: FastifyReply,
    opts: { error?: string; userId?: string; next?: string; status?: number },
  ) => {
    const t = texts[request.lang];
    const session = ensureSession(request, reply);
    const notice =
      opts.error ??
      (request.sessionExpired || (request.query as Record<string, unknown>)?.expired
        ? messageFor('AVL_ERR_SESSION_EXPIRED', request.lang)
        : undefined);
    const body = html`<h1>${t.signIn}</h1>
      ${notice ? html`<p class="notice error" role="alert" id="login-error">${notice}</p>` : ''}
      <form method="post" action="/login">
        <input type="hidden" name="_csrf" value="${session.csrfToken}" />
        <input type="hidden" name="next" value="${safeNext(opts.next)}" />
        <label for="userId">${t.userId}</label>
        <input
          type="text"
          id="userId"
          name="userId"
          autocomplete="username"
          required
          value="${opts.userId ?? ''}"
          ${opts.error ? html` aria-describedby="login-error"` : ''}
        />
        <label for="password">${t.password}</label>
        <input type="password" id="password" name="password" autocomplete="current-password" required />
        <div><button type="submit">${t.signIn}</button></div>
      </form>`;
    reply
      .code(opts.status ?? 200)
      .type('text/html; charset=utf-8')
      .send(page(request, { title: t.signIn, body }));
  };

  app.get('/login', async (request, reply) => {
    if (request.user) return reply.redirect(safeNext((request.query as Record<string, unknown>)?.next), 303);
    render(request, reply, { next: (request.query as Record<string, string>)?.next });
  });

  app.post('/login', { preHandler: requireCsrf }, async (request, reply) => {
    const form = loginForm.parse(request.body ?? {});
    const lang = request.lang;
    const outcome = await signInWithPassword(ctx, form.userId, form.password, request.ip);
    if (!('user' in outcome)) {
      const locked = 'lockedUntil' in outcome;
      const error = locked ? lockedMessage(lang, outcome.lockedUntil) : messageFor('AVL_ERR_LOGIN_FAILED', lang);
      request.log.info({ event: 'login.failed', locked }, 'failed sign-in');
      return render(request, reply, { error, userId: form.userId, next: form.next, status: locked ? 429 : 401 });
    }
    const { user } = outcome;
    // A new session id at sign-in: a session id planted before sign-in is worth nothing after it.
    if (request.session) ctx.sessions.destroy(request.session.id);
    const session = ctx.sessions.create(user.id);
    reply.setCookie(SESSION_COOKIE, session.id, sessionCookieOptions(ctx.secureCookies));
    request.log.info({ event: 'login.ok', user: user.id }, 'signed in');
    return reply.redirect(safeNext(form.next), 303);
  });

  app.post('/logout', { preHandler: requireCsrf }, async (request, reply) => {
    if (request.session) ctx.sessions.destroy(request.session.id);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login', 303);
  });
}

function lockedMessage(lang: Lang, until: number): string {
  return `${messageFor('AVL_ERR_LOCKED_OUT', lang)} ${texts[lang].lockedUntil(formatTime(new Date(until).toISOString()))}`;
}
