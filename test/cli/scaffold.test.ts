/** `avlasta new system|bot` (cli/scaffold/): what they write, and what they refuse to overwrite. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { newBot, newSystem } from '../../cli/scaffold/write-files.js';

let dir: string;
let configFile: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'avlasta-scaffold-'));
  configFile = join(dir, 'avlasta.config.yaml');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('avlasta new', () => {
  it('adds the system to an existing configuration, keeping its comments and other settings', async () => {
    writeFileSync(configFile, '# our city\ndataDir: /srv/avlasta # kept\nbots:\n  - ./city-bots\n');
    await newSystem(configFile, { name: 'case-system', baseUrl: 'https://cases.stad.se' });
    const text = readFileSync(configFile, 'utf8');
    expect(text).toContain('# our city');
    expect(text).toContain('dataDir: /srv/avlasta # kept');
    const config = parse(text);
    expect(config.bots).toEqual(['./city-bots', './systems']);
    expect(config.systems['case-system'].secrets).toEqual({
      username: 'env:AVLASTA_CASE_SYSTEM_USER',
      password: 'env:AVLASTA_CASE_SYSTEM_PASSWORD',
    });
    const session = readFileSync(join(dir, 'systems/case-system/session.ts'), 'utf8');
    expect(session).toContain('export const caseSystemSession: SessionSettings');
  });

  it('writes a bot beside its system, named as a const even when the action is a reserved word', async () => {
    await newSystem(configFile, { name: 'permits', baseUrl: 'http://127.0.0.1:4300', title: 'Bygglov' });
    const { files } = await newBot(configFile, { permits: {} }, 'permits.delete');
    expect(files.map((f) => f.slice(dir.length))).toEqual([
      '/systems/permits/delete.ts',
      '/systems/permits/delete.test.ts',
    ]);
    const bot = readFileSync(files[0], 'utf8');
    expect(bot).toContain("export const deleteBot = defineBot({\n  id: 'permits.delete',");
    expect(bot).toContain('new SystemSession(ctx, permitsSession)');
    expect(readFileSync(files[1], 'utf8')).toContain("{ heading: 'Bygglov' }");
  });

  it('refuses what it cannot do, and overwrites nothing', async () => {
    await newSystem(configFile, { name: 'permits', baseUrl: 'http://127.0.0.1:4300' });
    const before = readFileSync(configFile, 'utf8');
    await expect(newSystem(configFile, { name: 'permits', baseUrl: 'http://x' })).rejects.toThrow(
      'already has a session.ts',
    );
    await expect(newBot(configFile, { permits: {} }, 'permits.check-login')).rejects.toThrow('already exists');
    await expect(newBot(configFile, { permits: {} }, 'parking.pay')).rejects.toThrow('no system "parking"');
    await expect(newBot(configFile, { permits: {} }, 'Permits.Pay')).rejects.toThrow('<system>.<action>');
    await expect(newSystem(configFile, { name: 'x', baseUrl: 'not a url' })).rejects.toThrow('--url');
    expect(readFileSync(configFile, 'utf8')).toBe(before);
  });
});
