/**
 * Works out who is asking, once per request, before any route runs: an API token
 * (`Authorization: Bearer`), the session cookie, or, only when switched on, the headers of a
 * trusted SSO proxy. Routes that need a person add `requireUser` (see guards.ts).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pickLang, type Lang } from '../i18n.js';
import type { Session, SessionStore } from './sessions.js';
import type { User, UserDirectory } from './users.js';

declare module 'fastify' {
  interface FastifyRequest {
    user?: User;
    session?: Session;
    authVia?: 'session' | 'token' | 'header';
    /** A session cookie came with the request but its session has ended. */
    sessionExpired?: boolean;
    lang: Lang;
  }
}

export const SESSION_COOKIE = 'avl_sid';
export const LANG_COOKIE = 'avl_lang';

export interface TrustedHeaderOptions {
  /** Off by default: anyone who can reach the server directly could claim to be anyone. */
  enabled: boolean;
  /** Remote addresses allowed to send the headers (the proxy). @defaultValue ['127.0.0.1', '::1'] */
  proxies?: string[];
  /** @defaultValue 'x-remote-user' */
  userHeader?: string;
  /** Comma-separated roles. @defaultValue 'x-remote-roles' */
  rolesHeader?: string;
}

export interface IdentifyDeps {
  users: UserDirectory;
  sessions: SessionStore;
  trustedHeaders?: TrustedHeaderOptions;
  secureCookies: boolean;
}

export function sessionCookieOptions(secure: boolean) {
  return { path: '/', httpOnly: true, sameSite: 'strict' as const, secure, signed: true };
}

export function makeIdentify(deps: IdentifyDeps) {
  return async function identify(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const query = request.query as Record<string, unknown> | undefined;
    request.lang = pickLang(query?.lang, request.cookies[LANG_COOKIE], request.headers['accept-language']);
    if (query?.lang === 'sv' || query?.lang === 'en') {
      reply.setCookie(LANG_COOKIE, request.lang, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: deps.secureCookies,
        maxAge: 365 * 86400,
      });
    }

    const auth = request.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      const user = deps.users.findByToken(auth.slice(7).trim());
      if (user) {
        request.user = user;
        request.authVia = 'token';
      }
      return; // a bad token never falls back to a cookie
    }

    const raw = request.cookies[SESSION_COOKIE];
    if (raw) {
      const unsigned = request.unsignCookie(raw);
      const found = deps.sessions.lookup(unsigned.valid ? (unsigned.value ?? undefined) : undefined);
      if ('session' in found) {
        request.session = found.session;
        const user = found.session.userId ? deps.users.find(found.session.userId) : undefined;
        if (user) {
          request.user = user;
          request.authVia = 'session';
        }
      } else {
        request.sessionExpired = true;
      }
    }

    const th = deps.trustedHeaders;
    if (
      th?.enabled &&
      (th.proxies ?? ['127.0.0.1', '::1', '::ffff:127.0.0.1']).includes(request.socket.remoteAddress ?? '')
    ) {
      const id = headerValue(request, th.userHeader ?? 'x-remote-user');
      if (id) {
        const roles = (headerValue(request, th.rolesHeader ?? 'x-remote-roles') ?? '')
          .split(',')
          .map((r) => r.trim())
          .filter(Boolean);
        request.user = { id, name: deps.users.find(id)?.name ?? id, roles };
        request.authVia = 'header';
        // The proxy's headers ride on every request like a cookie would, so forms still need a
        // CSRF token: keep a session bound to this user for it.
        if (request.session?.userId !== id) {
          request.session = deps.sessions.create(id);
          reply.setCookie(SESSION_COOKIE, request.session.id, sessionCookieOptions(deps.secureCookies));
        }
      }
    }
  };
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name.toLowerCase()];
  return (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
}
