/**
 * Starting a run from an upload (page form or API), recorded in the audit log as the person's act:
 * one `api.run-requested` per request that reaches the engine, started, answered with an existing
 * run, or refused with its code (the same for the JSON-items door, routes/api-automation-runs.ts).
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { EngineError } from '../engine/errors.js';
import type { StartedRun } from '../engine/runs.js';
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
  const details = {
    fileName: upload.file.fileName,
    bytes: upload.file.data.length,
    ...(fields.rerunCompleted && { rerunCompleted: true }),
    ...(fields.trial && { trial: true }),
    ...(fields.sample !== undefined && { sample: fields.sample }),
  };
  return requestRun(ctx, request, fields.automationId, details, () =>
    ctx.runs.startRun({
      automationId: fields.automationId,
      runKey: fields.runKey,
      initiator: request.user!.id,
      input: upload.file!,
      options: { rerunCompleted: fields.rerunCompleted, trial: fields.trial, sample: fields.sample },
    }),
  );
}

/**
 * Asks the engine for a run and writes the request's `api.run-requested` entry: `details` plus the
 * run key and outcome (`started`, `existing`), or `refused` with the engine's code.
 */
export async function requestRun(
  ctx: Pick<ServerContext, 'stores'>,
  request: FastifyRequest,
  automationId: string,
  details: Record<string, unknown>,
  start: () => Promise<StartedRun>,
): Promise<StartedRun> {
  const entry = {
    actor: { kind: 'user' as const, id: request.user!.id },
    event: 'api.run-requested' as const,
    automationId,
  };
  let started: StartedRun;
  try {
    started = await start();
  } catch (err) {
    if (err instanceof EngineError)
      await ctx.stores.audit.append([
        { ...entry, details: { ...details, outcome: 'refused', code: err.code, via: request.authVia } },
      ]);
    throw err;
  }
  const outcome = started.existing ? 'existing' : 'started';
  await ctx.stores.audit.append([
    {
      ...entry,
      runId: started.workflowId,
      details: { ...details, runKey: started.runKey, outcome, via: request.authVia },
    },
  ]);
  return started;
}
