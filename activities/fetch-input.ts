/**
 * A scheduled run's first activity: it fetches the run's input from the schedule's source and keeps
 * it as a person's upload is kept (input-file.ts), so the rest of the run is the same whoever
 * started it. A folder gives its newest complete file; a URL is fetched with a GET; a bot's items
 * (read by the run's first bot step, workflows/scheduled-input.ts) become a JSON file.
 *
 * Nothing to fetch (an empty folder, a URL that answers with an error) fails the run without
 * retries: it shows as a failed run with the reason, and the next firing tries again.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import type { AvlastaConfig } from '../config.js';
import { formatFromFileName } from '../definitions/items.js';
import type { ScheduleInput } from '../definitions/schedule.js';
import { EngineError } from '../engine/errors.js';
import type { PayloadKeys } from '../temporal/payload-key.js';
import { isIgnoredName } from '../triggers/file-completeness.js';
import type { FetchInputRequest, FetchInputResult } from './engine-types.js';
import { storeInput } from './input-file.js';

/** Longest a URL source may take to answer in full. */
const FETCH_TIMEOUT_MS = 120_000;
/** The largest input a URL may give (an upload's limit is the server's, server/upload.ts). */
const MAX_URL_BYTES = 200 * 1024 * 1024;

export async function fetchInput(
  deps: { config: AvlastaConfig; payloadKey: PayloadKeys },
  r: FetchInputRequest,
): Promise<FetchInputResult> {
  const file =
    'folder' in r.source
      ? await newestFile(deps.config, r.source)
      : 'url' in r.source
        ? await download(r.source)
        : botItems(r.source.bot, r.botOutput);
  try {
    const stored = await storeInput(deps.config, deps.payloadKey, r.definition, file);
    return { inputPath: stored.inputPath, fileName: stored.fileName, runKey: stored.contentKey };
  } catch (err) {
    if (err instanceof EngineError) throw ApplicationFailure.nonRetryable(err.message, 'InputInvalid');
    throw err;
  }
}

/** The folder's newest .csv/.xlsx/.json file that has not changed for `settleSeconds`. */
async function newestFile(
  config: AvlastaConfig,
  source: Extract<ScheduleInput, { folder: string }>,
): Promise<{ fileName: string; data: Buffer }> {
  const folder = resolve(config.configFile ? dirname(config.configFile) : process.cwd(), source.folder);
  const names = await readdir(folder).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw noInput(`the input folder ${folder} does not exist`);
    throw err;
  });
  const settledBefore = Date.now() - source.settleSeconds * 1000;
  let newest: { name: string; mtimeMs: number } | undefined;
  for (const name of names) {
    // Hidden and temporary names are files still being written (the file drop's rule).
    if (isIgnoredName(name) || !formatFromFileName(name)) continue;
    const info = await stat(join(folder, name)).catch(() => undefined);
    if (!info?.isFile() || info.mtimeMs > settledBefore) continue;
    if (!newest || info.mtimeMs > newest.mtimeMs) newest = { name, mtimeMs: info.mtimeMs };
  }
  if (!newest)
    throw noInput(
      `no complete .csv, .xlsx or .json file in ${folder} (a file counts once unchanged for ${source.settleSeconds} s)`,
    );
  return { fileName: newest.name, data: await readFile(join(folder, newest.name)) };
}

async function download(source: Extract<ScheduleInput, { url: string }>): Promise<{ fileName: string; data: Buffer }> {
  const url = new URL(source.url);
  // The query may carry a token: messages name the origin and path only.
  const shown = `${url.origin}${url.pathname}`;
  const fileName = source.fileName ?? basename(url.pathname);
  if (!formatFromFileName(fileName))
    throw ApplicationFailure.nonRetryable(
      `${shown}: cannot tell the input's format from "${fileName}"; give schedule.input.fileName (.csv, .xlsx or .json)`,
      'InputInvalid',
    );
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'follow' });
  } catch (err) {
    // Unreachable for now: Temporal retries the activity.
    throw new Error(`${shown}: ${(err as Error).message}`);
  }
  if (response.status >= 500) throw new Error(`${shown} answered ${response.status}`);
  if (!response.ok) throw noInput(`${shown} answered ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_URL_BYTES) throw noInput(`${shown} is larger than ${MAX_URL_BYTES / 1024 / 1024} MB`);
  const data = Buffer.from(await response.arrayBuffer());
  if (data.length > MAX_URL_BYTES) throw noInput(`${shown} is larger than ${MAX_URL_BYTES / 1024 / 1024} MB`);
  return { fileName, data };
}

/** The items a bot read from its system, kept as a JSON input file named for the bot. */
function botItems(bot: string, output: unknown): { fileName: string; data: Buffer } {
  const items = (output as { items?: unknown } | null)?.items;
  if (!Array.isArray(items))
    throw ApplicationFailure.nonRetryable(
      `bot ${bot} gave no items: its output must be { items: [...] }`,
      'InputInvalid',
    );
  return { fileName: `${bot}.json`, data: Buffer.from(JSON.stringify(items)) };
}

function noInput(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, 'NoInput');
}
