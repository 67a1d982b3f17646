/** preHandler guards that routes opt into: a signed-in person, a role, a valid CSRF token. */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import type { User } from './users.js';

export async function requireUser(request: FastifyRequest): Promise<void> {
  if (request.user) return;
  throw new AppError(request.sessionExpired ? 'AVL_ERR_SESSION_EXPIRED' : 'AVL_ERR_UNAUTHENTICATED');
}

export function requireRole(check: (u: User) => boolean) {
  return async function roleGuard(request: FastifyRequest): Promise<void> {
    await requireUser(request);
    if (!check(request.user!)) throw new AppError('AVL_ERR_FORBIDDEN');
  };
}

/**
 * Synchronizer token: every unsafe request that rides on ambient credentials (session cookie or
 * proxy headers) must carry the session's token in the form field `_csrf` or header
 * `X-CSRF-Token`. Bearer-token clients carry no ambient credential and are exempt.
 */
export async function requireCsrf(request: FastifyRequest, _reply?: FastifyReply): Promise<void> {
  if (request.method === 'GET' || request.method === 'HEAD' || request.authVia === 'token') return;
  const expected = request.session?.csrfToken;
  const body = request.body as Record<string, unknown> | undefined;
  const sent = request.headers['x-csrf-token'] ?? (typeof body?._csrf === 'string' ? body._csrf : undefined);
  if (!expected || typeof sent !== 'string' || !safeEqual(sent, expected)) throw new AppError('AVL_ERR_CSRF');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
