/**
 * Compiled Avlasta (`node dist/…`) has no TypeScript loader, yet a city's bots are TypeScript files
 * in its own project (`avlasta new system` writes them). The project's own tsx, installed beside
 * Avlasta, is registered once, before the first .ts bot is imported (after a failed import Node
 * keeps the failure for that file). Avlasta running from its sources already runs under tsx, and
 * registers nothing. Avlasta itself does not ship tsx.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface TsxManifest {
  exports: { './esm/api': { import: { default: string } } };
}

let registering: Promise<void> | undefined;

/** Compiled, this module is .js; from the sources (under tsx) it is .ts. */
const compiled = import.meta.url.endsWith('.js');

/**
 * Makes .ts imports work in this process if the project can: registers its tsx once when compiled.
 * A project without tsx registers nothing, and the import's own error says what is missing.
 */
export function prepareTypeScript(configFile: string | undefined): Promise<void> {
  if (!compiled) return Promise.resolve();
  registering ??= registerProjectTsx(configFile);
  return registering;
}

async function registerProjectTsx(configFile: string | undefined): Promise<void> {
  let manifest: string;
  try {
    manifest = createRequire(configFile ?? join(process.cwd(), 'avlasta.config.yaml')).resolve('tsx/package.json');
  } catch {
    return;
  }
  // The ESM entry of tsx's API, read from its exports: require.resolve would give the CommonJS one.
  const exportsMap = (JSON.parse(readFileSync(manifest, 'utf8')) as TsxManifest).exports['./esm/api'];
  const api = join(dirname(manifest), exportsMap.import.default);
  const { register } = (await import(pathToFileURL(api).href)) as { register: () => unknown };
  register();
}
