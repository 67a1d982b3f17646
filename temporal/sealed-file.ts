/**
 * Files the engine keeps between activities (parsed items of a run) hold personal data, so they
 * are written sealed with the current payload key (AES-256-GCM, in an envelope naming the key),
 * never in clear text; a file sealed before a key rotation opens with its own key.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { openEnvelope, sealEnvelope } from './cipher.js';
import type { PayloadKeys } from './payload-key.js';

/** Written to a temporary name and renamed, so a crash never leaves half a file. */
export async function writeSealedJson(keys: PayloadKeys, path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, sealEnvelope(keys, Buffer.from(JSON.stringify(value))), { mode: 0o600 });
  await rename(tmp, path);
}

export async function readSealedJson<T>(keys: PayloadKeys, path: string): Promise<T> {
  return JSON.parse(openEnvelope(keys, await readFile(path)).toString('utf8')) as T;
}
