/**
 * `avlasta users add|list|token`: local accounts for the staff inbox, in users.yaml under the data
 * dir. Passwords are stored only as scrypt hashes, tokens only as sha256; both are shown once.
 */
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { hashPassword, newApiToken } from '../../server/auth/password.js';
import { readUsersFile, writeUsersFile } from '../../server/auth/users.js';
import { defaultUsersFile } from '../../server/start-inbox.js';
import type { CliContext } from '../context.js';

const MIN_PASSWORD = 12;

export function usersFilePath(ctx: CliContext, override?: string): string {
  return override ?? defaultUsersFile(ctx.config);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
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
        const file = usersFilePath(ctx(), opts.file);
        const password = opts.passwordStdin ? await readStdin() : randomBytes(12).toString('base64url');
        if (password.length < MIN_PASSWORD)
          throw new Error(`users add: the password must have at least ${MIN_PASSWORD} characters`);
        const roles = opts.roles
          .split(',')
          .map((r) => r.trim())
          .filter(Boolean);
        const data = readUsersFile(file);
        if (opts.lang !== 'sv' && opts.lang !== 'en')
          throw new Error(`users add: --lang must be sv or en, not "${opts.lang}"`);
        const entry = {
          id,
          name: opts.name,
          roles,
          password: await hashPassword(password),
          ...(opts.email ? { email: opts.email } : {}),
          lang: opts.lang as 'sv' | 'en',
          disabled: false,
        };
        const at = data.users.findIndex((u) => u.id === id);
        if (at >= 0) data.users[at] = entry;
        else data.users.push(entry);
        writeUsersFile(file, data);
        console.log(`${at >= 0 ? 'updated' : 'added'} ${id} (${roles.join(', ') || 'no roles'}) in ${file}`);
        if (!opts.passwordStdin) console.log(`password (shown once): ${password}`);
      },
    );
  users
    .command('list')
    .description('list accounts and their roles')
    .option('--file <path>', 'users file (default: <dataDir>/users.yaml)')
    .action((opts: { file?: string }) => {
      for (const u of readUsersFile(usersFilePath(ctx(), opts.file)).users) {
        console.log(`${u.id.padEnd(20)} ${u.disabled ? '(disabled) ' : ''}${u.name} [${u.roles.join(', ')}]`);
      }
    });
  users
    .command('token <user>')
    .description('create an API token for a machine client acting as <user>; printed once')
    .requiredOption('--label <label>', 'what the token is for, e.g. "import-robot"')
    .option('--file <path>', 'users file (default: <dataDir>/users.yaml)')
    .action((user: string, opts: { label: string; file?: string }) => {
      const file = usersFilePath(ctx(), opts.file);
      const data = readUsersFile(file);
      if (!data.users.some((u) => u.id === user)) throw new Error(`users token: no user "${user}" in ${file}`);
      const { token, sha256 } = newApiToken();
      data.tokens.push({ id: opts.label, user, sha256 });
      writeUsersFile(file, data);
      console.log(`token for ${user} (${opts.label}), shown once — send it as "Authorization: Bearer <token>":`);
      console.log(token);
    });
}
