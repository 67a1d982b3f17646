/**
 * The codec server the Temporal Web UI calls to show payloads (Temporal's remote codec protocol:
 * POST <endpoint>/decode and /encode with `{ payloads: [{ metadata: {k: base64}, data: base64 }] }`).
 * It decodes with the very codec the workers encode with (temporal/connect.ts), for people signed
 * in to Avlasta (the inbox session cookie, sent by the UI when "include cross-origin credentials"
 * is on, or an API token) whose roles may see item data. Each decode that opened an encrypted
 * payload is written to the audit log (`payload.viewed`). Personal identity numbers stay masked
 * unless the person holds one of codec.personalDataRoles. Browsers may call it only from the
 * configured Temporal UI origins (CORS); other origins are refused.
 */
import { createHash } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { codecRequests } from '../../metrics/series.js';
import { dataConverterFor } from '../../temporal/connect.js';
import { requireRole } from '../auth/guards.js';
import type { User } from '../auth/users.js';
import { parseWith, type ServerContext } from '../context.js';
import { AppError } from '../errors.js';
import { toAppErrorOrInternal } from '../error-handler.js';
import { maskPersonalData } from '../../audit/mask.js';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
const payloadsBody = z.object({
  payloads: z
    .array(z.object({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() }).passthrough())
    .max(1000),
});
type JsonPayload = z.infer<typeof payloadsBody>['payloads'][number];

const ENCRYPTED = 'binary/encrypted';
const ALLOWED_HEADERS = 'content-type, x-namespace, authorization, authorization-extras';

export async function codecRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const origins = new Set(ctx.config.codec.uiOrigins ?? [new URL(ctx.config.temporal.uiUrl).origin]);
  const codecs = dataConverterFor(ctx.config).payloadCodecs;
  const { decodeRoles, encodeRoles, personalDataRoles } = ctx.config.codec;
  const holdsOne = (roles: string[]) => (u: User) => u.roles.some((r) => roles.includes(r));

  // CORS for the Temporal UI only. A request from any other origin is refused outright, so a page
  // of the same site (which the SameSite cookie does not stop) cannot use a signed-in browser.
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (!origin) return;
    if (!origins.has(origin) && origin !== ownOrigin(request)) {
      codecRequests.inc({ operation: operationOf(request), result: 'origin-refused' });
      throw new AppError('AVL_ERR_FORBIDDEN', `origin ${origin} may not call the codec server`);
    }
    reply.header('access-control-allow-origin', origin);
    reply.header('access-control-allow-credentials', 'true');
    reply.header('vary', 'Origin');
  });
  app.setErrorHandler((err, request, reply) => {
    const e = toAppErrorOrInternal(err, request);
    if (e.status >= 400 && e.status < 500)
      codecRequests.inc({ operation: operationOf(request), result: `${e.status}` });
    return reply.code(e.status).type('application/json; charset=utf-8').send(e.body(request.lang));
  });

  for (const operation of ['decode', 'encode'] as const) {
    app.options(`/codec/${operation}`, async (_request, reply) =>
      reply
        .code(204)
        .header('access-control-allow-methods', 'POST, OPTIONS')
        .header('access-control-allow-headers', ALLOWED_HEADERS)
        .header('access-control-max-age', '600')
        .send(),
    );
  }

  app.post(
    '/codec/decode',
    { preHandler: requireRole(holdsOne(decodeRoles)), bodyLimit: 8 * 1024 * 1024 },
    async (request, reply) => {
      const input = parseWith(payloadsBody, request.body).payloads.map(fromJson);
      let decoded = input;
      for (const codec of [...codecs].reverse()) decoded = await codec.decode(decoded);
      const user = request.user!;
      const unmasked = holdsOne(personalDataRoles)(user);
      const opened = input.filter(isEncrypted);
      if (opened.length > 0) await auditView(ctx, request, input, decoded, unmasked);
      codecRequests.inc({ operation: 'decode', result: 'ok' });
      return reply.send({
        payloads: decoded.map((p, i) => toJson(unmasked ? p : maskedOrKept(p, input[i]!))),
      });
    },
  );

  app.post(
    '/codec/encode',
    { preHandler: requireRole(holdsOne(encodeRoles)), bodyLimit: 8 * 1024 * 1024 },
    async (request, reply) => {
      let encoded = parseWith(payloadsBody, request.body).payloads.map(fromJson);
      for (const codec of codecs) encoded = await codec.encode(encoded);
      await ctx.stores.audit.append([
        {
          actor: { kind: 'user', id: request.user!.id },
          event: 'payload.encoded',
          details: { namespace: namespaceOf(request), payloads: encoded.length, via: 'temporal-ui-codec' },
        },
      ]);
      codecRequests.inc({ operation: 'encode', result: 'ok' });
      return reply.send({ payloads: encoded.map(toJson) });
    },
  );
}

/**
 * The UI sends no workflow id (only X-Namespace, and a Referer cut to its origin), so the entry
 * names what the decoded payloads say about themselves (the automation, run and item of an item or
 * run input) and a fingerprint of each encrypted payload an auditor can match against the history.
 */
async function auditView(
  ctx: ServerContext,
  request: FastifyRequest,
  input: Payload[],
  decoded: Payload[],
  unmasked: boolean,
): Promise<void> {
  const found = decoded.map(identify).find((x) => x.automationId || x.runId);
  await ctx.stores.audit.append([
    {
      actor: { kind: 'user', id: request.user!.id },
      event: 'payload.viewed',
      automationId: found?.automationId,
      runId: found?.runId,
      itemKey: found?.itemKey,
      details: {
        namespace: namespaceOf(request),
        via: 'temporal-ui-codec',
        personalData: unmasked ? 'shown' : 'masked',
        payloads: input.filter(isEncrypted).map((p) => createHash('sha256').update(p.data!).digest('hex').slice(0, 16)),
      },
    },
  ]);
}

/** What a decoded run or item input says it belongs to (workflows/types.ts RunInput, ItemInput). */
function identify(p: Payload): { automationId?: string; runId?: string; itemKey?: string } {
  const value = jsonOf(p);
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const v = value as Record<string, unknown>;
  const str = (x: unknown) => (typeof x === 'string' && x.length <= 300 ? x : undefined);
  const item = v.item as Record<string, unknown> | undefined;
  return {
    automationId: str(v.automationId),
    runId: str(v.runWorkflowId) ?? str(v.runId),
    itemKey: item && typeof item === 'object' ? str(item.key) : str(v.itemKey),
  };
}

/** JSON payloads come back with personal identity numbers masked; any other encoding stays encrypted. */
function maskedOrKept(decoded: Payload, original: Payload): Payload {
  if (!isEncrypted(original)) return decoded;
  const encoding = encodingOf(decoded);
  if (encoding === 'binary/null') return decoded;
  const value = jsonOf(decoded);
  if (value === undefined) return original;
  return { ...decoded, data: Buffer.from(JSON.stringify(maskPersonalData(value))) };
}

function jsonOf(p: Payload): unknown {
  if (encodingOf(p) !== 'json/plain' || !p.data) return undefined;
  try {
    return JSON.parse(Buffer.from(p.data).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

const encodingOf = (p: Payload) => {
  const e = p.metadata?.[METADATA_ENCODING_KEY];
  return e ? Buffer.from(e).toString('utf8') : undefined;
};
const isEncrypted = (p: Payload) => encodingOf(p) === ENCRYPTED;

function fromJson(p: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: p.data === undefined ? undefined : Buffer.from(p.data, 'base64'),
  };
}

function toJson(p: Payload): { metadata: Record<string, string>; data?: string } {
  return {
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v as Uint8Array).toString('base64')]),
    ),
    ...(p.data ? { data: Buffer.from(p.data).toString('base64') } : {}),
  };
}

function namespaceOf(request: FastifyRequest): string {
  const ns = request.headers['x-namespace'];
  return (Array.isArray(ns) ? ns[0] : ns)?.slice(0, 200) ?? '';
}

function operationOf(request: FastifyRequest): string {
  return request.url.includes('encode') ? 'encode' : 'decode';
}

function ownOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
