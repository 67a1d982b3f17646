/**
 * The bot queues on bull-board at /queues, for the ops role, read only. Temporal owns retries:
 * retrying, promoting or removing a job from the board would start bot work Temporal did not ask
 * for (or drop work it waits on), so every action is off (readOnlyMode, and the board's API
 * answers 405 to them). Job data shows without the sealed input and the task token: the input is
 * encrypted anyway, and the token is the capability to complete the step.
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isOps } from './access.js';
import { requireRole } from './auth/guards.js';
import type { ServerContext } from './context.js';
import { sendError, toAppErrorOrInternal } from './error-handler.js';

export const QUEUE_BOARD_PATH = '/queues';

// The board is a React app: it sets inline styles, which the inbox's CSP forbids.
const BOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
].join('; ');

export async function queueBoard(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: [...ctx.queues.values()].map((queue) => {
      const adapter = new BullMQAdapter(queue, { readOnlyMode: true, allowRetries: false });
      adapter.setFormatter('data', (data: Record<string, unknown>) => ({
        ...data,
        input: data?.input ? '(sealed)' : data?.input,
        taskToken: data?.taskToken ? '(hidden)' : data?.taskToken,
      }));
      return adapter;
    }),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Avlasta' } },
  });
  // The board's own error handler answers its routes, so the role check answers by itself.
  const opsOnly = requireRole(isOps);
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      await opsOnly(request);
    } catch (err) {
      return sendError(toAppErrorOrInternal(err, request), request, reply);
    }
    // Read only whatever the board's version offers: nothing but reading gets through.
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return reply.code(405).header('allow', 'GET, HEAD').send({ error: 'the queue board is read only' });
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('content-security-policy', BOARD_CSP);
    return payload;
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
}
