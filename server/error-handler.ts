/**
 * Every failure becomes a catalog code: JSON under /api, a readable page elsewhere. A page that
 * needs a signed-in person sends the browser to the login page instead.
 */
import { ServiceError } from '@temporalio/client';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { AppError, errorCatalog, type ErrorCode } from './errors.js';
import { html } from './html.js';
import { texts } from './i18n.js';
import { page } from './pages/layout.js';

export function toAppErrorOrInternal(err: unknown, request: FastifyRequest): AppError {
  if (err instanceof AppError) return err;
  const e = err as FastifyError & { code?: string; name?: string };
  // The engine's EngineError carries codes from the same AVL_ERR_ family.
  if (e?.name === 'EngineError' || e?.name === 'DecisionRefusedError') {
    if (e.code && e.code in errorCatalog) return new AppError(e.code as ErrorCode, e.message);
  }
  if (engineUnreachable(err)) return new AppError('AVL_ERR_ENGINE_UNAVAILABLE');
  if (err instanceof ZodError)
    return new AppError('AVL_ERR_BAD_REQUEST', err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  if (e?.statusCode === 413) return new AppError('AVL_ERR_PAYLOAD_TOO_LARGE', e.message);
  if (e?.statusCode && e.statusCode >= 400 && e.statusCode < 500) return new AppError('AVL_ERR_BAD_REQUEST', e.message);
  request.log.error({ err }, 'unexpected error');
  return new AppError('AVL_ERR_INTERNAL');
}

/** gRPC status codes for "not reachable" and "no answer in time". */
const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;

/** Temporal could not be reached or did not answer in time (after the client's own retries). */
function engineUnreachable(err: unknown): boolean {
  if (!(err instanceof ServiceError)) return false;
  const code = (err.cause as { code?: number } | undefined)?.code;
  return code === UNAVAILABLE || code === DEADLINE_EXCEEDED;
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => sendError(toAppErrorOrInternal(err, request), request, reply));
  app.setNotFoundHandler((request, reply) => sendError(new AppError('AVL_ERR_NOT_FOUND'), request, reply));
}

export function sendError(err: AppError, request: FastifyRequest, reply: FastifyReply) {
  const lang = request.lang ?? 'sv';
  if (request.url.startsWith('/api/') || request.url === '/api') {
    return reply.code(err.status).type('application/json; charset=utf-8').send(err.body(lang));
  }
  if (err.status === 401) {
    const next = encodeURIComponent(request.method === 'GET' ? request.url : '/inbox');
    return reply.redirect(`/login?next=${next}${err.code === 'AVL_ERR_SESSION_EXPIRED' ? '&expired=1' : ''}`, 303);
  }
  const t = texts[lang];
  const message = err.body(lang).error.message;
  const body = html`<h1>${t.error}</h1>
    <p class="notice error" role="alert" data-testid="error">
      ${message}${err.detail && err.status === 400 ? html`<br />${err.detail}` : ''}
    </p>
    <p><a href="/inbox">${t.backToInbox}</a></p>
    <p class="hint">${err.code}</p>`;
  return reply
    .code(err.status)
    .type('text/html; charset=utf-8')
    .send(page(request, { title: t.error, body }));
}
