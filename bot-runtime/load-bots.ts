/**
 * Finds the bots from the configuration's `bots` list: the one way every process that needs bot
 * ids learns them (CLI, Temporal worker, bot worker, server, demo, test and bench harnesses), so a
 * definition that `validate` accepts is one the workers can run. A folder is scanned, subfolders
 * too, for .ts and .js modules (declaration and test files skipped); a package is imported. Every
 * export that is a defineBot(...) result is a bot; other exports (helpers, schemas) are ignored.
 * A bot is therefore registered by its file alone, and a city adds its own folder or a shared
 * package by one line of configuration, without touching Avlasta's files.
 */
import { readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { isAbsolute, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, type AvlastaConfig } from '../config.js';
import { botsExportedBy, createBotRegistry, type BotRegistry, type FoundBot } from '../bots/registry.js';
import { prepareTypeScript } from './typescript-loader.js';

const moduleFile = /\.(ts|mts|js|mjs)$/;
const skippedFile = /(\.d\.m?ts|\.(test|spec)\.m?[tj]s)$/;
const typeScriptFile = /\.m?ts$/;

export async function loadBots(config: Pick<AvlastaConfig, 'bots' | 'configFile'>): Promise<BotRegistry> {
  const found = await findBots(config);
  try {
    return createBotRegistry(found);
  } catch (err) {
    throw new ConfigError(`bots: ${(err as Error).message}`);
  }
}

/** Every bot the configuration's entries export, with the file it came from (`avlasta pack` copies it). */
export async function findBots(config: Pick<AvlastaConfig, 'bots' | 'configFile'>): Promise<FoundBot[]> {
  const found: FoundBot[] = [];
  for (const entry of config.bots) {
    const bots = isAbsolute(entry)
      ? await fromPath(entry, config.configFile)
      : await fromPackage(entry, config.configFile);
    if (bots.length === 0) {
      throw new ConfigError(
        `bots: ${shown(entry)} exports no defineBot(...) result (configured in ${config.configFile ?? 'the configuration'})`,
      );
    }
    found.push(...bots);
  }
  return found;
}

async function fromPath(path: string, configFile: string | undefined): Promise<FoundBot[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new ConfigError(`bots: ${path} does not exist (a bot folder, file or package in the configuration)`);
  const files = info.isDirectory() ? await moduleFiles(path) : [path];
  const modules = await Promise.all(
    files.map((file) => importModule(pathToFileURL(file).href, shown(file), configFile)),
  );
  return modules.flatMap((module, i) => botsExportedBy(module, shown(files[i]), files[i]));
}

/** Module files under `dir`, sorted so that the registry's order (and any clash) is stable. */
async function moduleFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await moduleFiles(path)));
    else if (moduleFile.test(entry.name) && !skippedFile.test(entry.name)) files.push(path);
  }
  return files.sort();
}

/** Resolved as the config file's own project would resolve it (its node_modules, its exports map). */
async function fromPackage(name: string, configFile = join(process.cwd(), 'avlasta.config.yaml')): Promise<FoundBot[]> {
  let file: string;
  try {
    file = createRequire(configFile).resolve(name);
  } catch (err) {
    throw new ConfigError(
      `bots: cannot find the package "${name}" from ${configFile} (install it there: npm install ${name}): ${firstLine(err)}`,
    );
  }
  const source = `package "${name}" (${shown(file)})`;
  return botsExportedBy(await importModule(pathToFileURL(file).href, source, configFile), source, file);
}

async function importModule(
  url: string,
  source: string,
  configFile: string | undefined,
): Promise<Record<string, unknown>> {
  if (typeScriptFile.test(url)) await prepareTypeScript(configFile);
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (err) {
    const hint =
      (err as { code?: string }).code === 'ERR_UNKNOWN_FILE_EXTENSION'
        ? ' (a TypeScript bot needs tsx: install tsx in the project (npm install tsx), or compile the bot to .js)'
        : '';
    throw new ConfigError(`bots: cannot load ${source}: ${firstLine(err)}${hint}`);
  }
}

/** A path as short as it reads well: relative to the working directory when inside it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return isAbsolute(path) && rel && !rel.startsWith('..') ? rel : path;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}
