/**
 * `avlasta add <package>`: installs an automation package (a .tgz from `avlasta pack` or a
 * registry, or its folder) into this installation. The package goes to `packages/<automation>/`
 * beside the configuration file (not node_modules, which npm prunes), its definition to
 * automations/, and `./packages/<automation>/index.js` into the configuration's `bots:` list
 * (edited as a YAML document, so its comments stay). Nothing is written when the automation or a
 * bot id already exists here; what was written is removed again when the definition does not
 * validate against the installation's bots. It ends with what the city must still configure.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { Document, isSeq, parseDocument } from 'yaml';
import { resolveSecret, type AvlastaConfig } from '../config.js';
import { loadBots } from '../bot-runtime/load-bots.js';
import { CliError } from '../cli/cli-error.js';
import { formatProblem, loadDefinitionFile } from '../definitions/load-definition.js';
import { automationsDir } from '../engine/automations.js';
import { packageLayout, packageManifestSchema, type PackageManifest } from './manifest.js';
import { readTgz } from './tgz.js';

export interface AddOptions {
  config: AvlastaConfig;
  /** A .tgz or a package folder. */
  source: string;
  /** Where automations/ is. @defaultValue process.cwd() */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface Added {
  manifest: PackageManifest;
  installedIn: string;
  definitionFile: string;
  configFile: string;
  botsEntry: string;
  /** The configuration had no `bots:` list (Avlasta's own demo bots): it now lists the package only. */
  replacedDefaultBots: boolean;
  /** What the city must still configure before a run, one line each. */
  toConfigure: string[];
}

export async function addPackage(opts: AddOptions): Promise<Added> {
  const cwd = opts.cwd ?? process.cwd();
  const files = await readPackage(resolve(cwd, opts.source));
  const manifest = parseManifest(files, opts.source);
  const { automation } = manifest.avlasta;
  const configFile = opts.config.configFile ?? resolve(cwd, 'avlasta.config.yaml');
  const installedIn = join(dirname(configFile), 'packages', automation);
  const definitionFile = join(automationsDir(cwd), `${automation}.yaml`);
  for (const existing of [installedIn, definitionFile, definitionFile.replace(/\.yaml$/, '.yml')])
    if (existsSync(existing)) throw new CliError(`automation "${automation}" is already here (${existing})`);
  const document = existsSync(configFile) ? parseDocument(await readFile(configFile, 'utf8')) : new Document({});
  const listed = isSeq(document.get('bots'));
  const existingBots = listed ? opts.config.bots : [];
  const installed = await loadBots({ bots: existingBots, configFile });
  const clashes = manifest.avlasta.bots.filter((id) => installed.has(id));
  if (clashes.length > 0)
    throw new CliError(
      `this installation already has bot${clashes.length > 1 ? 's' : ''} ${clashes.join(', ')}; the package brings ${clashes.length > 1 ? 'them' : 'it'} too (remove one before adding)`,
    );

  const botsEntry = `./${relative(dirname(configFile), join(installedIn, packageLayout.index)).split('\\').join('/')}`;
  // The first folder each mkdir made: a rollback removes those too, so a refused add leaves the
  // project as it found it (no empty packages/ or automations/).
  const madeFolders: string[] = [];
  const folderFor = async (file: string) => {
    const made = await mkdir(dirname(file), { recursive: true });
    if (made) madeFolders.push(made);
  };
  try {
    for (const [path, content] of files) {
      await folderFor(join(installedIn, path));
      await writeFile(join(installedIn, path), content);
    }
    await folderFor(definitionFile);
    await writeFile(definitionFile, files.get(packageLayout.definition(automation))!);
    const packageBots = manifest.avlasta.bots.length > 0 ? [join(installedIn, packageLayout.index)] : [];
    const registry = await loadBots({ bots: [...existingBots, ...packageBots], configFile });
    const checked = await loadDefinitionFile(definitionFile, { knownBots: new Set(registry.keys()) });
    if (!checked.ok)
      throw new CliError(
        `the package's definition is not valid here:\n${checked.problems.map(formatProblem).join('\n')}`,
      );
  } catch (err) {
    await Promise.all([
      rm(installedIn, { recursive: true, force: true }),
      rm(definitionFile, { force: true }),
      ...madeFolders.map((dir) => rm(dir, { recursive: true, force: true })),
    ]);
    throw err;
  }
  // An automation without bot steps brings no bots, and an entry exporting none is refused.
  if (manifest.avlasta.bots.length > 0) {
    if (listed) document.addIn(['bots'], botsEntry);
    else document.set('bots', [botsEntry]);
    await writeFile(configFile, document.toString());
  }
  return {
    manifest,
    installedIn,
    definitionFile,
    configFile,
    botsEntry,
    replacedDefaultBots: !listed && manifest.avlasta.bots.length > 0,
    toConfigure: missingConfiguration(manifest, opts.config, configFile, installedIn, opts.env ?? process.env),
  };
}

/** The systems and secrets the package needs that this installation does not yet provide. */
export function missingConfiguration(
  manifest: PackageManifest,
  config: Pick<AvlastaConfig, 'systems'>,
  configFile: string,
  installedIn: string,
  env: NodeJS.ProcessEnv,
): string[] {
  const lines: string[] = [];
  const template = join(installedIn, packageLayout.configTemplate);
  for (const [system, { secrets }] of Object.entries(manifest.avlasta.systems)) {
    const configured = config.systems[system];
    if (!configured) {
      const needs = ['its baseUrl', ...(secrets.length ? [`secrets ${secrets.join(', ')}`] : [])].join(' and ');
      lines.push(`system "${system}": add it under systems: in ${configFile} with ${needs} (template: ${template})`);
      continue;
    }
    for (const name of secrets) {
      const ref = configured.secrets[name];
      if (!ref) {
        lines.push(`secret "${name}" of system "${system}": add a reference under systems.${system}.secrets`);
        continue;
      }
      try {
        resolveSecret(ref, `secret "${name}" of system "${system}"`, env);
      } catch (err) {
        lines.push((err as Error).message);
      }
    }
  }
  return lines;
}

async function readPackage(source: string): Promise<Map<string, Buffer>> {
  if (!existsSync(source)) throw new CliError(`${source} does not exist (a .tgz from avlasta pack, or its folder)`);
  if (!source.endsWith('.tgz') && !source.endsWith('.tar.gz')) return readFolder(source, '');
  try {
    return readTgz(await readFile(source));
  } catch (err) {
    throw new CliError(`${source} is not a package archive: ${(err as Error).message}`);
  }
}

async function readFolder(dir: string, prefix: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = `${prefix}${entry.name}`;
    if (entry.isDirectory()) for (const [p, c] of await readFolder(join(dir, entry.name), `${path}/`)) files.set(p, c);
    else if (entry.isFile()) files.set(path, await readFile(join(dir, entry.name)));
  }
  return files;
}

function parseManifest(files: Map<string, Buffer>, source: string): PackageManifest {
  const raw = files.get(packageLayout.manifest);
  let parsed: ReturnType<typeof packageManifestSchema.safeParse> | undefined;
  try {
    parsed = raw ? packageManifestSchema.safeParse(JSON.parse(raw.toString('utf8'))) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success)
    throw new CliError(`${source} is not an Avlasta automation package (its package.json has no valid "avlasta" part)`);
  const { automation } = parsed.data.avlasta;
  for (const part of [packageLayout.index, packageLayout.definition(automation)])
    if (!files.has(part)) throw new CliError(`${source} is not a complete automation package: ${part} is missing`);
  return parsed.data;
}
