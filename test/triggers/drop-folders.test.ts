/** Where the drop folders are and which automations are watched, from the configuration as loaded. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadConfig } from '../../config.js';
import { dropFolderOf, watchedAutomations } from '../../triggers/drop-folders.js';
import { automationsDir } from './support.js';

const cwd = mkdtempSync(join(tmpdir(), 'avlasta-drop-folders-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function configWith(triggers: Record<string, unknown>, env: Record<string, string> = {}) {
  writeFileSync(join(cwd, 'avlasta.config.yaml'), stringify({ dataDir: 'data', triggers }));
  return loadConfig(env, cwd);
}

describe('dropFolderOf', () => {
  it('is <dataDir>/inbox/<automation>/ by default', () => {
    expect(dropFolderOf(configWith({}), 'drop-notes')).toBe(join(cwd, 'data', 'inbox', 'drop-notes'));
  });

  it('follows triggers.inboxDir, AVLASTA_INBOX_DIR, and an automation of its own, relative to where the process runs', () => {
    const config = configWith({ inboxDir: 'delad/inkorg', folders: { 'drop-notes': '/mnt/ekonomi/fakturor' } });
    expect(dropFolderOf(config, 'other')).toBe(join(cwd, 'delad', 'inkorg', 'other'));
    expect(dropFolderOf(config, 'drop-notes')).toBe('/mnt/ekonomi/fakturor');
    expect(dropFolderOf(configWith({}, { AVLASTA_INBOX_DIR: '/inbox' }), 'other')).toBe('/inbox/other');
  });

  it('refuses a folder setting for something that is not an automation id', () => {
    expect(() => configWith({ folders: { 'Not An Id': '/x' } })).toThrow(/triggers\.folders/);
  });
});

describe('watchedAutomations', () => {
  it('is the ids named, else triggers.watch, else every automation', async () => {
    expect(await watchedAutomations(configWith({ watch: [] }), automationsDir, ['drop-notes'])).toEqual(['drop-notes']);
    expect(await watchedAutomations(configWith({ watch: ['drop-notes'] }), automationsDir)).toEqual(['drop-notes']);
    expect(await watchedAutomations(configWith({}), automationsDir)).toEqual(['drop-notes']);
  });

  it('refuses an automation that does not exist, naming the known ones', async () => {
    await expect(watchedAutomations(configWith({}), automationsDir, ['fakturor'])).rejects.toThrow(
      'no automation fakturor to watch (known: drop-notes)',
    );
  });
});
