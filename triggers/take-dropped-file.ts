/**
 * What happens to one complete dropped file: it starts a run through startRun (engine/runs.ts, the
 * one way), keyed by its content, then moves to `processed/` or `failed/` beside a
 * `<file>.reason.txt`. The run key is the content's hash, so a file dropped again, or a file whose
 * run started just before the watcher stopped, answers with the run that exists and starts none.
 * A file is left in place only when the engine could not be asked (Temporal down): the next scan
 * tries again.
 */
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { AuditStore } from '../audit/types.js';
import { maskString } from '../audit/mask.js';
import { MAX_INPUT_BYTES } from '../definitions/item-readers.js';
import { EngineError } from '../engine/errors.js';
import { startRun, type RunDeps } from '../engine/runs.js';
import { errorCatalog, type ErrorCode } from '../server/errors.js';
import { FAILED, PROCESSED } from './drop-folders.js';
import type { FileState } from './file-completeness.js';

export interface DropDeps {
  runs: RunDeps;
  audit: AuditStore;
}

export type DropOutcome =
  | { outcome: 'started' | 'existing'; workflowId: string; movedTo: string }
  | { outcome: 'failed'; code: ErrorCode; movedTo: string }
  /** Changed while it was read, or taken by another watcher: look again later. */
  | { outcome: 'changed' | 'gone' }
  /** The engine could not be asked; the file stays for the next scan. */
  | { outcome: 'retry'; error: string };

/** The run's initiator, and the actor of the audit entry. */
export function fileDropInitiator(automationId: string): string {
  return `file-drop:${automationId}`;
}

export async function takeDroppedFile(
  deps: DropDeps,
  automationId: string,
  folder: string,
  name: string,
  seen: FileState,
): Promise<DropOutcome> {
  const path = join(folder, name);
  if (seen.size > MAX_INPUT_BYTES)
    return fail(deps, automationId, folder, name, seen.size, new EngineError('AVL_ERR_INPUT_INVALID', tooLarge(seen)));
  let data: Buffer;
  try {
    data = await readFile(path);
    const after = await stat(path);
    if (after.size !== seen.size || after.mtimeMs !== seen.mtimeMs || data.length !== seen.size)
      return { outcome: 'changed' };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { outcome: 'gone' };
    throw err;
  }
  let started;
  try {
    started = await startRun(deps.runs, {
      automationId,
      initiator: fileDropInitiator(automationId),
      input: { fileName: name, data },
      ifExists: 'existing',
    });
  } catch (err) {
    if (err instanceof EngineError && err.code !== 'AVL_ERR_ENGINE_UNAVAILABLE')
      return fail(deps, automationId, folder, name, data.length, err);
    return { outcome: 'retry', error: maskString((err as Error).message) };
  }
  const outcome = started.existing ? 'existing' : 'started';
  const movedTo = await moveWithReason(folder, PROCESSED, name, reasonFor(outcome, started.workflowId));
  if (!movedTo) return { outcome: 'gone' };
  await deps.audit.append([
    {
      actor: { kind: 'system', id: fileDropInitiator(automationId) },
      event: 'trigger.file-dropped',
      automationId,
      runId: started.workflowId,
      details: { file: maskString(name), bytes: data.length, runKey: started.runKey, outcome },
    },
  ]);
  return { outcome, workflowId: started.workflowId, movedTo };
}

async function fail(
  deps: DropDeps,
  automationId: string,
  folder: string,
  name: string,
  bytes: number,
  err: EngineError,
): Promise<DropOutcome> {
  const code = err.code in errorCatalog ? (err.code as ErrorCode) : 'AVL_ERR_INPUT_INVALID';
  const { sv, en } = errorCatalog[code];
  // Engine messages name the problem (a column, a row number, the format), never a cell's value;
  // masked all the same, as everything written beside the data is.
  const reason = `${code}\nsv: ${sv}\nen: ${en}\n${maskString(err.message)}\n`;
  const movedTo = await moveWithReason(folder, FAILED, name, reason);
  if (!movedTo) return { outcome: 'gone' };
  await deps.audit.append([
    {
      actor: { kind: 'system', id: fileDropInitiator(automationId) },
      event: 'trigger.file-dropped',
      automationId,
      details: { file: maskString(name), bytes, outcome: 'failed', code },
    },
  ]);
  return { outcome: 'failed', code, movedTo };
}

function reasonFor(outcome: 'started' | 'existing', workflowId: string): string {
  return outcome === 'started'
    ? `sv: Körningen ${workflowId} startades.\nen: Run ${workflowId} started.\n`
    : `sv: Samma innehåll har redan en körning, ${workflowId}; ingen ny startades.\n` +
        `en: The same content already has a run, ${workflowId}; no new run was started.\n`;
}

function tooLarge(seen: FileState): string {
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  return `the file is ${mb(seen.size)} MB; at most ${mb(MAX_INPUT_BYTES)} MB is read: split it into several files`;
}

/**
 * Renames the file into `<folder>/<sub>/` (a numbered name when one is there already) and writes
 * its reason beside it. The rename is the claim: a second watcher on the same folder finds the
 * file gone (undefined) and does nothing more. The sub-folder and the reason get the drop folder's
 * permissions, not the process's owner-only umask, so whoever may drop files may read why.
 */
async function moveWithReason(folder: string, sub: string, name: string, reason: string): Promise<string | undefined> {
  const dir = join(folder, sub);
  const folderMode = (await stat(folder)).mode & 0o7777;
  if (!existsSync(dir)) {
    await mkdir(dir, { recursive: true });
    await chmod(dir, folderMode);
  }
  const target = freeName(dir, name);
  try {
    await rename(join(folder, name), target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const reasonFile = `${target}.reason.txt`;
  await writeFile(reasonFile, `${reason}${new Date().toISOString()}\n`);
  await chmod(reasonFile, folderMode & 0o666);
  return target;
}

function freeName(dir: string, name: string): string {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  let candidate = join(dir, name);
  for (let n = 2; existsSync(candidate) || existsSync(`${candidate}.reason.txt`); n++)
    candidate = join(dir, `${stem}.${n}${ext}`);
  return candidate;
}
