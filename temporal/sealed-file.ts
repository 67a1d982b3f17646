/**
 * Files the engine keeps between activities (parsed items of a run) hold personal data, so they
 * are written sealed with the payload key (AES-256-GCM), never in clear text.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { seal, unseal } from './cipher.js';

/** Written to a temporary name and renamed, so a crash never leaves half a file. */
export async function writeSealedJson(key: Buffer, path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, seal(key, Buffer.from(JSON.stringify(value))), { mode: 0o600 });
  await rename(tmp, path);
}

export async function readSealedJson<T>(key: Buffer, path: string): Promise<T> {
  return JSON.parse(unseal(key, await readFile(path)).toString('utf8')) as T;
}
