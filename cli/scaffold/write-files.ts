/**
 * `avlasta new system|bot`: a city's own system and bots, written into the project (the folder of
 * its configuration file), never into Avlasta's own folders:
 *
 *   systems/<system>/session.ts           how the system's login and "unavailable" pages look
 *   systems/<system>/<action>.ts          one bot, using the runtime's session helper
 *   systems/<system>/<action>.test.ts     that bot against the pages in fixtures/, without Temporal
 *   systems/<system>/fixtures/*.html      local copies of the system's pages for those tests
 *
 * `./systems` is in the configuration's `bots` list, so a bot is registered by its file alone.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { CliError } from '../cli-error.js';
import { addSystemToConfig } from './config-file.js';
import { camelCase, fillTemplate } from './templates.js';

export const botFolder = './systems';
const systemName = /^[a-z][a-z0-9-]*$/;
const botId = /^([a-z][a-z0-9-]*)\.([a-z][a-z0-9-]*)$/;

export interface Written {
  files: string[];
  secretEnv: { username: string; password: string };
}

export async function newSystem(
  configFile: string,
  opts: { name: string; baseUrl: string; title?: string },
): Promise<Written> {
  const { name } = opts;
  if (!systemName.test(name))
    throw new CliError(`system name "${name}": lower case letters, digits and -, e.g. "permits"`);
  if (!URL.canParse(opts.baseUrl))
    throw new CliError(`--url ${opts.baseUrl}: give the system's address, e.g. https://permits.stad.se`);
  const dir = join(dirname(configFile), 'systems', name);
  if (existsSync(join(dir, 'session.ts'))) throw new CliError(`${dir} already has a session.ts`);
  const env = name.toUpperCase().replace(/-/g, '_');
  const secretEnv = { username: `AVLASTA_${env}_USER`, password: `AVLASTA_${env}_PASSWORD` };
  await addSystemToConfig(configFile, { name, baseUrl: opts.baseUrl, secretEnv, botFolder });
  const values = systemValues(name, opts.title ?? name);
  const files = [
    await writeNew(join(dir, 'session.ts'), await fillTemplate('session.ts', values)),
    await writeNew(join(dir, 'fixtures', 'login.html'), await fillTemplate('login.html', values)),
    await writeNew(join(dir, 'fixtures', 'start.html'), await fillTemplate('start.html', values)),
  ];
  const first = await writeBot(
    dir,
    values,
    'check-login',
    'Logs in and reads the start page heading: proves the address and the secrets work.',
  );
  return { files: [configFile, ...files, ...first], secretEnv };
}

export async function newBot(configFile: string, systems: Record<string, unknown>, id: string): Promise<Written> {
  const match = botId.exec(id);
  if (!match) throw new CliError(`bot id "${id}": <system>.<action> in lower case with -, e.g. "permits.register-fee"`);
  const [, system, action] = match;
  if (!(system in systems))
    throw new CliError(
      `no system "${system}" in ${configFile}: first \`avlasta new system ${system} --url <address>\``,
    );
  const dir = join(dirname(configFile), 'systems', system);
  if (!existsSync(join(dir, 'session.ts')))
    throw new CliError(
      `${dir}/session.ts is missing: the bots of "${system}" live beside it (avlasta new system writes it)`,
    );
  const values = systemValues(system, await titleOf(join(dir, 'session.ts'), system));
  const files = await writeBot(
    dir,
    values,
    action,
    `Say here what it does in ${values.title}, and whether it is safe to repeat.`,
  );
  const env = system.toUpperCase().replace(/-/g, '_');
  return { files, secretEnv: { username: `AVLASTA_${env}_USER`, password: `AVLASTA_${env}_PASSWORD` } };
}

/** The system's name as session.ts gives it (`system: '…'`), which its start page fixture shows. */
async function titleOf(sessionFile: string, fallback: string): Promise<string> {
  return /\bsystem:\s*'([^']*)'/.exec(await readFile(sessionFile, 'utf8'))?.[1] ?? fallback;
}

function systemValues(system: string, title: string): Record<string, string> {
  return { system, title, sessionConst: `${camelCase(system)}Session` };
}

async function writeBot(
  dir: string,
  system: Record<string, string>,
  action: string,
  description: string,
): Promise<string[]> {
  const values = { ...system, action, botId: `${system.system}.${action}`, botConst: camelCase(action), description };
  return [
    await writeNew(join(dir, `${action}.ts`), await fillTemplate('bot.ts', values)),
    await writeNew(join(dir, `${action}.test.ts`), await fillTemplate('bot.test.ts', values)),
  ];
}

/** Writes a file that must not exist yet: the scaffold never overwrites someone's work. */
async function writeNew(path: string, text: string): Promise<string> {
  if (existsSync(path))
    throw new CliError(`${relative(process.cwd(), path) || path} already exists; nothing overwritten`);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text, { flag: 'wx' });
  return path;
}
