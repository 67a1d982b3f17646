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

let registering: Promise<boolean> | undefined;

/** Compiled, this module is .js; from the sources (under tsx) it is .ts. */
const compiled = import.meta.url.endsWith('.js');

/** Makes .ts imports work in this process if the project can: registers its tsx once when compiled. */
export async function prepareTypeScript(configFile: string | undefined): Promise<void> {
  if (compiled) await registerProjectTsx(configFile);
}

/** True once the project's tsx loads TypeScript in this process; false when the project has none. */
function registerProjectTsx(configFile: string | undefined): Promise<boolean> {
  registering ??= (async () => {
    let manifest: string;
    try {
      manifest = createRequire(configFile ?? join(process.cwd(), 'avlasta.config.yaml')).resolve('tsx/package.json');
    } catch {
      return false;
    }
    // The ESM entry of tsx's API, read from its exports: require.resolve would give the CommonJS one.
    const exportsMap = (JSON.parse(readFileSync(manifest, 'utf8')) as TsxManifest).exports['./esm/api'];
    const api = join(dirname(manifest), exportsMap.import.default);
    const { register } = (await import(pathToFileURL(api).href)) as { register: () => unknown };
    register();
    return true;
  })();
  return registering;
}
