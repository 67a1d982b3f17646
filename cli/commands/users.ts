/**
 * `avlasta users add|list|token`: local accounts for the staff inbox, in users.yaml under the data
 * dir. Passwords are stored only as scrypt hashes, tokens only as sha256; both are shown once.
 */
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { readStdin } from '../terminal-input.js';

const MIN_PASSWORD = 12;

/** The users-file functions, loaded when a command runs, and the file it works on. */
async function usersFile(ctx: CliContext, override?: string) {
  const users = await import('../../server/auth/users.js');
  return { ...users, file: override ?? users.defaultUsersFile(ctx.config) };
}

export function registerUsersCommands(program: Command, ctx: () => CliContext): void {
  const users = program.command('users').description('local accounts for the staff inbox (users.yaml)');
  users
    .command('add <id>')
    .description('add a person, or replace their name, roles and password')
    .requiredOption('--name <name>', 'full name shown in the inbox and the audit log')
    .option('--roles <roles>', 'comma-separated roles, e.g. ekonomi-attest,ops', '')
    .option('--email <address>', 'where notices go (items waiting, reminders, escalations)')
    .option('--lang <sv|en>', 'the language of those notices', 'sv')
    .option('--password-stdin', 'read the password from standard input (otherwise one is generated and printed once)')
    .option('--file <path>', 'users file (default: <dataDir>/users.yaml)')
    .action(
      async (
        id: string,
        opts: { name: string; roles: string; email?: string; lang: string; passwordStdin?: boolean; file?: string },
      ) => {
        if (opts.lang !== 'sv' && opts.lang !== 'en')
          throw new Error(`users add: --lang must be sv or en, not "${opts.lang}"`);
        const { file, updateUsersFile } = await usersFile(ctx(), opts.file);
        const { hashPassword } = await import('../../server/auth/password.js');
        const password = opts.passwordStdin ? await readStdin() : randomBytes(12).toString('base64url');
        if (password.length < MIN_PASSWORD)
          throw new Error(`users add: the password must have at least ${MIN_PASSWORD} characters`);
        const roles = opts.roles
          .split(',')
          .map((r) => r.trim())
          .filter(Boolean);
        const entry = {
          id,
          name: opts.name,
          roles,
          password: await hashPassword(password),
          ...(opts.email ? { email: opts.email } : {}),
          lang: opts.lang as 'sv' | 'en',
          disabled: false,
        };
        let at = -1;
        await updateUsersFile(file, (data) => {
          at = data.users.findIndex((u) => u.id === id);
          if (at >= 0) data.users[at] = entry;
          else data.users.push(entry);
        });
        console.log(`${at >= 0 ? 'updated' : 'added'} ${id} (${roles.join(', ') || 'no roles'}) in ${file}`);
        if (!opts.passwordStdin) console.log(`password (shown once): ${password}`);
      },
    );
  users
    .command('list')
    .description('list accounts and their roles')
    .option('--file <path>', 'users file (default: <dataDir>/users.yaml)')
    .action(async (opts: { file?: string }) => {
      const { file, readUsersFile } = await usersFile(ctx(), opts.file);
      for (const u of readUsersFile(file).users) {
        console.log(`${u.id.padEnd(20)} ${u.disabled ? '(disabled) ' : ''}${u.name} [${u.roles.join(', ')}]`);
      }
    });
  users
    .command('token <user>')
    .description('create an API token for a machine client acting as <user>; printed once')
    .requiredOption('--label <label>', 'what the token is for, e.g. "import-robot"')
    .option('--file <path>', 'users file (default: <dataDir>/users.yaml)')
    .action(async (user: string, opts: { label: string; file?: string }) => {
      const { file, updateUsersFile } = await usersFile(ctx(), opts.file);
      const { newApiToken } = await import('../../server/auth/password.js');
      const { token, sha256 } = newApiToken();
      await updateUsersFile(file, (data) => {
        if (!data.users.some((u) => u.id === user)) throw new Error(`users token: no user "${user}" in ${file}`);
        data.tokens.push({ id: opts.label, user, sha256 });
      });
      console.log(`token for ${user} (${opts.label}), shown once — send it as "Authorization: Bearer <token>":`);
      console.log(token);
    });
}
