/** Starting a run from an upload (page form or API), recorded in the audit log as the person's act. */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseWith, type ServerContext } from './context.js';
import { AppError } from './errors.js';
import { uploadOf } from './upload.js';

const checkbox = z
  .enum(['true', 'on', 'false', ''])
  .optional()
  .transform((v) => v === 'true' || v === 'on');

const startFields = z.object({
  automationId: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a kebab-case automation id'),
  runKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, 'letters, digits, "_" or "-" (at most 100)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  // Form fields: a checkbox sends "on", the CLI "true"; absent is false.
  rerunCompleted: checkbox,
  trial: checkbox,
  sample: z
    .string()
    .regex(/^[1-9]\d{0,5}$/, 'a whole number of items, at least 1')
    .transform(Number)
    .optional()
    .or(z.literal('').transform(() => undefined)),
});

export async function startRunFromRequest(
  ctx: ServerContext,
  request: FastifyRequest,
): Promise<{ workflowId: string; runKey: string; warning?: string }> {
  const upload = uploadOf(request);
  const fields = parseWith(startFields, upload.fields);
  if (!upload.file || upload.file.data.length === 0)
    throw new AppError('AVL_ERR_BAD_REQUEST', 'file: a non-empty CSV, XLSX or JSON file is required');
  const user = request.user!;
  const started = await ctx.runs.startRun({
    automationId: fields.automationId,
    runKey: fields.runKey,
    initiator: user.id,
    input: upload.file,
    options: { rerunCompleted: fields.rerunCompleted, trial: fields.trial, sample: fields.sample },
  });
  await ctx.stores.audit.append([
    {
      actor: { kind: 'user', id: user.id },
      event: 'api.run-requested',
      automationId: fields.automationId,
      runId: started.workflowId,
      details: {
        fileName: upload.file.fileName,
        bytes: upload.file.data.length,
        runKey: started.runKey,
        via: request.authVia,
        ...(fields.rerunCompleted && { rerunCompleted: true }),
        ...(fields.trial && { trial: true }),
        ...(fields.sample !== undefined && { sample: fields.sample }),
      },
    },
  ]);
  return started;
}
