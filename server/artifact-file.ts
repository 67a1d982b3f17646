/**
 * The file a stored evidence path names, only if it really is inside the artifacts folder once
 * every link is followed, with one of the allowed extensions: a path from the database or a URL
 * must never let anyone read the server's disk (the payload key lives one folder up).
 */
import { realpath } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { artifactsRoot } from '../bot-runtime/artifacts.js';

export async function artifactFile(
  dataDir: string,
  stored: string,
  extensions: string[] = ['.png'],
): Promise<string | undefined> {
  const root = await realpath(artifactsRoot(dataDir)).catch(() => undefined);
  const file = await realpath(resolve(dataDir, stored)).catch(() => undefined);
  if (!root || !file || !file.startsWith(root + sep) || !extensions.includes(extname(file).toLowerCase()))
    return undefined;
  return file;
}
