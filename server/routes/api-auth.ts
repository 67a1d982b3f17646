/**
 * Signing in without a browser: `POST /api/login` trades a password for a personal API token
 * that lasts one working day (what `avlasta login` stores), and `POST /api/logout` revokes the
 * token it is called with. Requests with the token are the person's own, checked like the inbox's.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireUser } from '../auth/guards.js';
import { signInWithPassword } from '../auth/password-sign-in.js';
import { parseWith, type ServerContext } from '../context.js';
import { AppError } from '../errors.js';

/** As long as a browser session may last at most (auth/sessions.ts): one working day. */
const SIGN_IN_TOKEN_MS = 10 * 3_600_000;

const loginBody = z
  .object({ userId: z.string().trim().toLowerCase().min(1).max(64), password: z.string().min(1).max(1024) })
  .strict();

export async function authApi(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.post('/login', async (request, reply) => {
    // JSON only: a form on another site cannot post JSON without the browser asking first (CORS).
    if (request.headers['content-type']?.split(';')[0]?.trim().toLowerCase() !== 'application/json')
      throw new AppError('AVL_ERR_BAD_REQUEST', 'send JSON: {"userId", "password"}');
    const body = parseWith(loginBody, request.body);
    const outcome = await signInWithPassword(ctx, body.userId, body.password, request.ip);
    if ('lockedUntil' in outcome) {
      request.log.info({ event: 'login.failed', locked: true, via: 'api' }, 'failed sign-in');
      throw new AppError('AVL_ERR_LOCKED_OUT', undefined, { lockedUntil: new Date(outcome.lockedUntil).toISOString() });
    }
    if ('failed' in outcome) {
      request.log.info({ event: 'login.failed', locked: false, via: 'api' }, 'failed sign-in');
      throw new AppError('AVL_ERR_LOGIN_FAILED');
    }
    const expiresAt = new Date(ctx.now() + SIGN_IN_TOKEN_MS);
    const token = await ctx.users.issueToken(outcome.user.id, expiresAt);
    request.log.info({ event: 'login.ok', user: outcome.user.id, via: 'api' }, 'signed in');
    reply.code(201).header('cache-control', 'no-store');
    return { token, expiresAt: expiresAt.toISOString(), user: outcome.user };
  });

  app.post('/logout', { preHandler: requireUser }, async (request, reply) => {
    // Only a token can be revoked here; a browser signs out with the page's form (POST /logout).
    if (request.authVia !== 'token') throw new AppError('AVL_ERR_BAD_REQUEST', 'send the token to revoke as Bearer');
    await ctx.users.revokeToken(request.headers.authorization!.slice(7).trim());
    return reply.code(204).send();
  });
}
