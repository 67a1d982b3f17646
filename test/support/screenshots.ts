/**
 * Where the browser tests put their screenshots. `npm run screenshots` (AVLASTA_SCREENSHOTS=docs)
 * writes them to docs/screenshots/, the pictures the docs show; any other test run writes them
 * under .avlasta/screenshots/, which git ignores, so running the tests leaves the tracked tree as
 * it found it and a picture in the docs changes only when someone means it to.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export const screenshotsDir =
  process.env.AVLASTA_SCREENSHOTS === 'docs' ? join(root, 'docs/screenshots') : join(root, '.avlasta/screenshots');

/** The file for screenshot `name` (without .png); its folder exists. */
export function screenshotFile(name: string): string {
  mkdirSync(screenshotsDir, { recursive: true });
  return join(screenshotsDir, `${name}.png`);
}
