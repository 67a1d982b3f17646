/** `avlasta users add|token`: what it writes is what the server's user directory accepts. */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerUsersCommands } from '../../cli/commands/users.js';
import { fileUserDirectory, readUsersFile } from '../../server/auth/users.js';
import type { CliContext } from '../../cli/context.js';

const dataDir = mkdtempSync(join(tmpdir(), 'avlasta-users-'));
const file = join(dataDir, 'users.yaml');

async function run(args: string[], stdin?: string): Promise<string[]> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  if (stdin !== undefined)
    vi.spyOn(process, 'stdin', 'get').mockReturnValue(Readable.from([Buffer.from(stdin)]) as never);
  const program = new Command('avlasta').exitOverride();
  registerUsersCommands(program, () => ({ config: { dataDir } }) as unknown as CliContext);
  try {
    await program.parseAsync(['node', 'avlasta', ...args]);
  } finally {
    log.mockRestore();
  }
  return lines;
}
afterEach(() => vi.restoreAllMocks());

describe('avlasta users', () => {
  it('adds a person with a scrypt-hashed password the directory verifies; file is owner-only', async () => {
    await run(
      ['users', 'add', 'anna', '--name', 'Anna Andersson', '--roles', 'ekonomi-attest, ops', '--password-stdin'],
      'ett långt lösenord\n',
    );
    const stored = readUsersFile(file).users[0];
    expect(stored).toMatchObject({ id: 'anna', roles: ['ekonomi-attest', 'ops'] });
    expect(stored.password).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(statSync(file).mode & 0o077).toBe(0);
    const users = fileUserDirectory(file);
    expect(await users.verify('anna', 'ett långt lösenord')).toMatchObject({ name: 'Anna Andersson' });
    expect(await users.verify('anna', 'fel')).toBeUndefined();
  });

  it('refuses a short password and names the rule', async () => {
    await expect(run(['users', 'add', 'bert', '--name', 'Bert', '--password-stdin'], 'kort')).rejects.toThrow(
      /at least 12 characters/,
    );
  });

  it('generates a password when none is given, and creates API tokens stored only as sha256', async () => {
    const out = await run(['users', 'add', 'robot', '--name', 'Import robot', '--roles', 'ops']);
    const password = out.find((l) => l.startsWith('password (shown once): '))!.slice(23);
    expect(await fileUserDirectory(file).verify('robot', password)).toBeDefined();
    const [, token] = await run(['users', 'token', 'robot', '--label', 'nightly-import']);
    expect(readUsersFile(file).tokens[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(readUsersFile(file))).not.toContain(token);
    expect(fileUserDirectory(file).findByToken(token)?.id).toBe('robot');
    await expect(run(['users', 'token', 'nobody', '--label', 'x'])).rejects.toThrow(/no user "nobody"/);
  });
});
