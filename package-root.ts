/**
 * Where the files the code reads at run time live (server/static/, server/openapi.yaml,
 * demo/data/). The compiled tree in dist/ holds only JavaScript, so these are found from the
 * package root, the same way whether the code runs from sources (tsx) or from dist/.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json in ${start} or above it`);
  }
}

export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the package, e.g. packagePath('server', 'static'). */
export function packagePath(...segments: string[]): string {
  return join(packageRoot, ...segments);
}
