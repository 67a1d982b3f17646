/**
 * POST /api/automations/:id/runs: another system starts a run with JSON items (a webhook). The
 * caller is a token's user with role ops or one the configuration gives this automation
 * (`triggers.webhookRoles`), checked before the body is read. The items become the run's JSON
 * input, validated by the definition like any file's rows. The run key is the `Idempotency-Key`
 * header's hash, or else the items' hash, so a repeat (a sender's retry) starts nothing and is
 * answered with the run it started the first time; a used key with other items is refused
 * (AVL_ERR_IDEMPOTENCY_KEY_REUSED), since the sender would otherwise believe them started.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { MAX_INPUT_BYTES } from '../../definitions/item-readers.js';
import { mayStartRunsOf } from '../access.js';
import { requireCsrf, requireUser } from '../auth/guards.js';
import { parseWith, temporalUiLink, type ServerContext } from '../context.js';
import { AppError } from '../errors.js';
import { requestRun } from '../start-run.js';

const params = z.object({ id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a kebab-case automation id') });
const body = z.object({ items: z.array(z.unknown()).min(1, 'at least one item') }).strict();
const idempotencyKey = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, '1 to 255 visible ASCII characters')
    .optional(),
});

/** The run key an Idempotency-Key names: hashed, so whatever a sender puts in it stays out of Temporal's ids. */
export function idempotentRunKey(key: string): string {
  return `key-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

export async function automationRunsApi(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  // onRequest: the body (up to the input limit) is read only for someone allowed to start the run.
  const mayStart = async (request: FastifyRequest) => {
    await requireUser(request);
    const { id } = parseWith(params, request.params);
    if (!mayStartRunsOf(request.user!, id, ctx.config)) throw new AppError('AVL_ERR_FORBIDDEN');
  };

  app.post<{ Params: { id: string } }>(
    '/automations/:id/runs',
    { onRequest: mayStart, preHandler: requireCsrf, bodyLimit: MAX_INPUT_BYTES },
    async (request, reply) => {
      const { id } = parseWith(params, request.params);
      const { items } = parseWith(body, request.body);
      const key = parseWith(idempotencyKey, request.headers)['idempotency-key'];
      const data = Buffer.from(JSON.stringify(items));
      const details = { trigger: 'webhook', items: items.length, bytes: data.length };
      const started = await requestRun(ctx, request, id, details, () =>
        ctx.runs.startRun({
          automationId: id,
          runKey: key === undefined ? undefined : idempotentRunKey(key),
          initiator: request.user!.id,
          input: { fileName: 'items.json', data },
          ifExists: 'existing',
        }),
      );
      reply
        .code(started.existing ? 200 : 201)
        .header('location', `/api/runs/${encodeURIComponent(started.workflowId)}`);
      return { ...started, temporalUi: temporalUiLink(ctx.config, started.workflowId) };
    },
  );
}
