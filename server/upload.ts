/**
 * Multipart uploads of run inputs. Registered only in the plugins that take uploads. Only ops may
 * start runs, so an upload from anyone else is refused before its body is read: the parser would
 * otherwise hold up to 20 MB per request in memory for anonymous senders. One address may have
 * only a few uploads in flight. Fields are then flattened to strings and the one file to a Buffer
 * before CSRF checks and validation run.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MAX_INPUT_BYTES } from '../definitions/item-readers.js';
import { isOps } from './access.js';
import { requireRole } from './auth/guards.js';
import { AppError } from './errors.js';

/** Uploads one client address may have in flight at once. */
export const MAX_UPLOADS_PER_ADDRESS = 2;

export interface UploadBody {
  fields: Record<string, string>;
  file?: { fileName: string; data: Buffer };
}

const mayUpload = requireRole(isOps);
const inFlight = new Map<string, number>();

export async function registerUploads(app: FastifyInstance): Promise<void> {
  await app.register(multipart, {
    attachFieldsToBody: true,
    limits: { fileSize: MAX_INPUT_BYTES, files: 1, fields: 10 },
  });
  // onRequest runs before the body is parsed; identity is known by then (build-server.ts).
  // (isMultipart() is only known once the parser has started, hence the header.)
  app.addHook('onRequest', async (request: FastifyRequest, reply) => {
    if (!/^multipart\//i.test(request.headers['content-type'] ?? '')) return;
    await mayUpload(request);
    const address = request.ip;
    const now = inFlight.get(address) ?? 0;
    if (now >= MAX_UPLOADS_PER_ADDRESS) throw new AppError('AVL_ERR_RATE_LIMITED');
    inFlight.set(address, now + 1);
    // 'close' comes once the answer is sent or the connection is gone, whichever way it ends.
    reply.raw.once('close', () => {
      const left = (inFlight.get(address) ?? 1) - 1;
      if (left > 0) inFlight.set(address, left);
      else inFlight.delete(address);
    });
  });
  // Runs before CSRF checks (preHandler), so `_csrf` is a plain string like in urlencoded forms.
  app.addHook('preValidation', async (request: FastifyRequest) => {
    if (!request.isMultipart()) return;
    const raw = (request.body ?? {}) as Record<
      string,
      { type?: string; value?: unknown; filename?: string; toBuffer?: () => Promise<Buffer> }
    >;
    const flat: Record<string, unknown> = {};
    let file: UploadBody['file'];
    for (const [name, part] of Object.entries(raw)) {
      if (part?.type === 'file' && part.toBuffer)
        file = { fileName: part.filename ?? name, data: await part.toBuffer() };
      else if (part?.type === 'field') flat[name] = String(part.value ?? '');
    }
    request.body = { ...flat, __upload: { fields: flat, file } };
  });
}

export function uploadOf(request: FastifyRequest): UploadBody {
  const body = request.body as { __upload?: UploadBody } | undefined;
  if (!body?.__upload)
    throw new AppError('AVL_ERR_BAD_REQUEST', 'expected multipart/form-data with a file field "file"');
  return body.__upload;
}
