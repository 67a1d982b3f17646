/**
 * `avlasta pack <automation>`: one automation as a package another city installs with
 * `avlasta add`: its definition, the bots it uses (only those, with the files they import), a
 * configuration template naming the systems and secrets it needs, a README and the tests found
 * beside its bots. A .tgz laid out as `npm pack` lays one out (so it can also be published to a
 * registry), or the same files in a folder.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AvlastaConfig } from '../config.js';
import { findBots } from '../bot-runtime/load-bots.js';
import { createBotRegistry } from '../bots/registry.js';
import { CliError } from '../cli/cli-error.js';
import { automationsDir, loadAutomation } from '../engine/automations.js';
import { packagePath } from '../package-root.js';
import { systemOf } from '../temporal/names.js';
import { packBotFiles } from './bot-files.js';
import { configTemplate } from './config-template.js';
import { packageLayout, type PackageManifest } from './manifest.js';
import { packageReadme } from './package-readme.js';
import { writeTgz } from './tgz.js';

export interface PackOptions {
  config: AvlastaConfig;
  automation: string;
  outDir: string;
  /** @defaultValue 'tgz' */
  format?: 'tgz' | 'dir';
  /** npm package name. @defaultValue `avlasta-<automation>` */
  name?: string;
  /** @defaultValue '1.0.0' */
  version?: string;
  /** @defaultValue automations/ in the working directory */
  automationsDir?: string;
}

export interface Packed {
  path: string;
  manifest: PackageManifest;
  files: string[];
}

export async function packAutomation(opts: PackOptions): Promise<Packed> {
  const found = await findBots(opts.config);
  const loaded = await loadAutomation(
    opts.automation,
    createBotRegistry(found),
    opts.automationsDir ?? automationsDir(),
  );
  const { definition } = loaded;
  const botIds = [...new Set(definition.steps.flatMap((s) => (s.type === 'bot' ? [s.bot] : [])))];
  const bots = botIds.map((id) => found.find((f) => f.bot.id === id)!);
  const packed = await packBotFiles(bots);
  const systemNames = [...new Set(botIds.map(systemOf))].sort();
  const manifest: PackageManifest = {
    name: opts.name ?? `avlasta-${definition.id}`,
    version: opts.version ?? '1.0.0',
    avlasta: {
      automation: definition.id,
      bots: botIds,
      systems: Object.fromEntries(
        systemNames.map((s) => [s, { secrets: Object.keys(opts.config.systems[s]?.secrets ?? {}) }]),
      ),
    },
  };
  const fileBase = `${manifest.name.replace(/^@/, '').replace('/', '-')}-${manifest.version}`;
  const files = new Map<string, Buffer>(packed.files);
  files.set(
    packageLayout.manifest,
    Buffer.from(`${JSON.stringify(packageJson(manifest, definition.title.en), null, 2)}\n`),
  );
  files.set(packageLayout.index, Buffer.from(packed.index));
  files.set(packageLayout.definition(definition.id), await readFile(loaded.file));
  files.set(
    packageLayout.configTemplate,
    Buffer.from(configTemplate(definition.id, Object.fromEntries(systemNames.map((s) => [s, opts.config.systems[s]])))),
  );
  files.set(
    packageLayout.readme,
    Buffer.from(
      packageReadme(definition, manifest, packed.tests, opts.format === 'dir' ? fileBase : `${fileBase}.tgz`),
    ),
  );
  const path = join(opts.outDir, opts.format === 'dir' ? fileBase : `${fileBase}.tgz`);
  if (opts.format === 'dir') {
    if (existsSync(path) && readdirSync(path).length > 0) throw new CliError(`${path} exists and is not empty`);
    for (const [name, content] of files) {
      await mkdir(dirname(join(path, name)), { recursive: true });
      await writeFile(join(path, name), content);
    }
  } else {
    await mkdir(opts.outDir, { recursive: true });
    await writeFile(path, writeTgz(files));
  }
  return { path, manifest, files: [...files.keys()].sort() };
}

function packageJson(manifest: PackageManifest, description: string) {
  const avlasta = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string };
  return {
    name: manifest.name,
    version: manifest.version,
    description: `${description} (an Avlasta automation package)`,
    keywords: ['avlasta', 'avlasta-automation'],
    type: 'module',
    exports: `./${packageLayout.index}`,
    peerDependencies: { avlasta: `^${avlasta.version}` },
    avlasta: manifest.avlasta,
  };
}
