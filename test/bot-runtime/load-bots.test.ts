/**
 * The bot loader: the configuration's `bots` list, folders scanned relative to the config file,
 * defineBot exports found without any list, clashes and mistakes refused with one clear line.
 * (A shared package through the real processes: shared-bot-package.test.ts.)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadBots } from '../../bot-runtime/load-bots.js';
import { builtInBotsDir, loadConfig } from '../../config.js';

const defineBotModule = fileURLToPath(new URL('../../bots/define-bot.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'avlasta-load-bots-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let projects = 0;
/** A project folder with a config file listing `bots` and the given files; returns its config. */
function project(bots: string[], files: Record<string, string>) {
  const root = join(dir, `project-${++projects}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  mkdirSync(join(root, 'config'), { recursive: true });
  writeFileSync(join(root, 'config', 'avlasta.config.yaml'), stringify({ bots }));
  return loadConfig({ AVLASTA_CONFIG: join(root, 'config', 'avlasta.config.yaml') }, root);
}

const botFile = (id: string) => `import { z } from 'zod';
import { defineBot } from '${defineBotModule}';
export const bot = defineBot({ id: '${id}', input: z.object({}), output: z.object({}), run: async () => ({}) });
`;

describe('loadBots', () => {
  it("loads Avlasta's own bots when the configuration names none", async () => {
    const config = loadConfig({}, dir);
    expect(config.bots).toEqual([builtInBotsDir]);
    expect([...(await loadBots(config)).keys()].sort()).toEqual([
      'arende.lookup-resident',
      'arende.register-case',
      'ekonomi.add-contact',
      'ekonomi.lookup-supplier',
      'ekonomi.register-invoice',
    ]);
  });

  it('scans folders named relative to the config file, .ts and .js, skipping tests and declarations', async () => {
    const config = project(['../city-bots'], {
      'city-bots/permits/register-permit.ts': botFile('permits.register'),
      'city-bots/permits/lookup-permit.js': botFile('permits.lookup'),
      'city-bots/permits/helpers.ts': 'export const title = "Bygglov";\n',
      'city-bots/permits/register-permit.test.ts': 'throw new Error("a test file was imported");\n',
      'city-bots/permits/types.d.ts': 'export declare const x: number; throw',
      'city-bots/README.md': '# not a module',
    });
    expect(config.bots).toEqual([join(dirname(config.configFile!), '..', 'city-bots')]);
    expect([...(await loadBots(config)).keys()]).toEqual(['permits.lookup', 'permits.register']);
  });

  it('takes one bot file as an entry, next to folders', async () => {
    const config = project(['../one.ts', '../more'], {
      'one.ts': botFile('one.bot'),
      'more/two.ts': botFile('two.bot'),
    });
    expect([...(await loadBots(config)).keys()]).toEqual(['one.bot', 'two.bot']);
  });

  it('refuses two bots with one id, naming both files', async () => {
    const config = project(['../a', '../b'], {
      'a/register.ts': botFile('permits.register'),
      'b/register-again.ts': botFile('permits.register'),
    });
    const err = await loadBots(config).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      /^bots: Bot id "permits.register" is defined twice, in \S*a\/register\.ts and in \S*b\/register-again\.ts/,
    );
  });

  it('says which entry is wrong: a missing folder, a folder without bots, a package not installed', async () => {
    await expect(loadBots(project(['../nowhere'], {}))).rejects.toThrow(/^bots: \S*nowhere does not exist/);
    await expect(loadBots(project(['../empty'], { 'empty/helper.ts': 'export const x = 1;\n' }))).rejects.toThrow(
      /^bots: \S*empty exports no defineBot\(\.\.\.\) result/,
    );
    await expect(loadBots(project(['@other-city/not-installed'], {}))).rejects.toThrow(
      /^bots: cannot find the package "@other-city\/not-installed" from \S*avlasta\.config\.yaml \(install it there/,
    );
  });

  it('names the file whose import fails', async () => {
    const config = project(['../broken'], { 'broken/bad.ts': 'throw new Error("no such page");\n' });
    await expect(loadBots(config)).rejects.toThrow(/^bots: cannot load \S*broken\/bad\.ts: no such page/);
  });
});
