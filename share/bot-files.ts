/**
 * The files an automation package carries for its bots: each bot's module and the local files it
 * imports (a system's session settings, its helpers), as JavaScript, so compiled Avlasta (dist/)
 * loads them as well as tsx does. What a bot takes from Avlasta itself (defineBot, SystemSession,
 * the errors, zod) is imported from `avlasta/bot` in the package, the one module a city's own bots
 * use; a bot importing any other part of Avlasta cannot be packed, and the packer says which.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtInBotsDir } from '../config.js';
import type { FoundBot } from '../bots/registry.js';
import { CliError } from '../cli/cli-error.js';

/** Avlasta's modules that `avlasta/bot` re-exports (bots/api.ts), without their extension. */
const avlastaRoot = dirname(builtInBotsDir);
const botApiModules = new Set(
  ['bots/api', 'bots/define-bot', 'bots/errors', 'audit/mask', 'bot-runtime/system-session'].map((m) =>
    join(avlastaRoot, m),
  ),
);
/** Bare imports the package takes from `avlasta/bot` instead (it re-exports Avlasta's own zod as `z`). */
const viaBotApi = new Set(['zod', 'avlasta/bot']);
const specifier = /(\bfrom\s*|\bimport\s*\(?\s*)(['"])([^'"\n]+)\2/g;
const sourceExtensions = ['.ts', '.mts', '.js', '.mjs'];

export interface PackedBots {
  /** Path inside the package ("bots/ekonomi/session.js") → JavaScript. */
  files: Map<string, Buffer>;
  /** The package's entry point: re-exports every packed bot, so it is one `bots:` entry. */
  index: string;
  /** Test files found beside the packed bot files (packed too, never loaded as bots). */
  tests: string[];
}

export async function packBotFiles(bots: FoundBot[]): Promise<PackedBots> {
  const sources = new Map<string, string>(); // absolute file → rewritten source
  const pending = bots.map((found) => {
    if (!found.file) throw new CliError(`bot ${found.bot.id} (${found.source}) has no file to pack`);
    return found.file;
  });
  for (const file of pending) for (const test of testsBeside(file)) pending.push(test);
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (sources.has(file)) continue;
    const text = await readFile(file, 'utf8');
    sources.set(
      file,
      text.replace(specifier, (whole, lead: string, quote: string, spec: string) => {
        const target = rewrite(file, spec, pending);
        return target === spec ? whole : `${lead}${quote}${target}${quote}`;
      }),
    );
  }
  const root = sources.size ? commonFolder([...sources.keys()]) : '';
  const inPackage = (file: string) => `bots/${relative(root, file).split(sep).join('/')}`.replace(/\.m?ts$/, '.js');
  const files = new Map<string, Buffer>();
  for (const [file, source] of sources) files.set(inPackage(file), Buffer.from(await javaScript(file, source)));
  const exportsLines = await Promise.all(
    bots.map(async ({ bot, file }) => {
      const module = (await import(pathToFileURL(file!).href)) as Record<string, unknown>;
      const name = Object.keys(module).find((key) => module[key] === bot);
      return `export { ${name} } from './${inPackage(file!)}';`;
    }),
  );
  const tests = [...sources.keys()].filter(isTest).map(inPackage);
  return { files, index: `${[...new Set(exportsLines)].sort().join('\n')}\n`, tests };
}

/** The specifier the packed file uses; a local file it names is queued for packing. */
function rewrite(from: string, spec: string, pending: string[]): string {
  if (viaBotApi.has(spec)) return 'avlasta/bot';
  if (!spec.startsWith('.')) return spec;
  const target = resolve(dirname(from), spec).replace(/\.m?[jt]s$/, '');
  if (botApiModules.has(target)) return 'avlasta/bot';
  const file = sourceExtensions.map((ext) => target + ext).find((f) => existsSync(f));
  if (!file) throw new CliError(`${from} imports "${spec}", which is not a file`);
  const insideAvlasta = !relative(avlastaRoot, file).startsWith('..');
  const insideBotFolder = dirname(file) !== builtInBotsDir && !relative(builtInBotsDir, file).startsWith('..');
  if (insideAvlasta && !insideBotFolder)
    throw new CliError(
      `${from} imports "${spec}", a part of Avlasta that avlasta/bot does not offer; a shared bot uses avlasta/bot only`,
    );
  pending.push(file);
  return spec.replace(/\.m?ts$/, '.js');
}

function testsBeside(file: string): string[] {
  const stem = basename(file).replace(/\.m?[jt]s$/, '');
  return ['.test.ts', '.test.js'].map((ext) => join(dirname(file), stem + ext)).filter((f) => existsSync(f));
}

function isTest(file: string): boolean {
  return /\.test\.m?[jt]s$/.test(file);
}

function commonFolder(files: string[]): string {
  let common = dirname(files[0]);
  while (!files.every((f) => !relative(common, f).startsWith('..'))) common = dirname(common);
  return common;
}

/**
 * TypeScript bots (a source checkout, a city's bots under tsx) become JavaScript through the
 * TypeScript compiler, loaded only here: a compiled installation packs the .js it runs.
 */
async function javaScript(file: string, source: string): Promise<string> {
  if (!/\.m?ts$/.test(file)) return source;
  let ts: typeof import('typescript');
  try {
    ts = (await import('typescript')).default;
  } catch {
    throw new CliError(
      `${file} is TypeScript: packing it needs the typescript package (npm install --save-dev typescript)`,
    );
  }
  return ts.transpileModule(source, {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
}
