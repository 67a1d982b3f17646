/**
 * Multipart uploads of run inputs. Registered only in the plugins that take uploads; fields are
 * flattened to strings and the one file to a Buffer before CSRF checks and validation run.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export interface UploadBody {
  fields: Record<string, string>;
  file?: { fileName: string; data: Buffer };
}

export async function registerUploads(app: FastifyInstance): Promise<void> {
  await app.register(multipart, {
    attachFieldsToBody: true,
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10 },
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
