/**
 * `avlasta login|logout|whoami`: the CLI signs in to the API server as a person, and from then on
 * acts as them (decisions, run starts), meeting the same checks as the inbox. The token lasts one
 * working day and is kept, owner-readable only, in the user's config folder (cli/credentials.ts).
 */
import type { Command } from 'commander';
import type { User } from '../../server/auth/users.js';
import { CliError } from '../cli-error.js';

interface LoginOptions {
  server?: string;
  user?: string;
  passwordStdin?: boolean;
}

export function registerLoginCommands(program: Command): void {
  program
    .command('login')
    .description('sign in to the Avlasta server (avlasta serve); later commands act as you')
    .option('--server <url>', 'the server (default: AVLASTA_SERVER_URL, the last one, or http://127.0.0.1:8080)')
    .option('--user <id>', 'your user id (asked for at a terminal)')
    .option('--password-stdin', 'read the password from standard input (asked for, hidden, at a terminal)')
    .action(async (opts: LoginOptions) => {
      const [{ callApi, serverUrl }, { saveCredentials }, { promptHidden, promptLine, readStdin }] = await Promise.all([
        import('../api-client.js'),
        import('../credentials.js'),
        import('../terminal-input.js'),
      ]);
      const server = (opts.server ?? serverUrl()).replace(/\/+$/, '');
      if (!/^https?:\/\//.test(server))
        throw new CliError(`--server ${server}: give a URL such as https://avlasta.example`);
      const userId = opts.user ?? (await promptLine('user id: '));
      const password = opts.passwordStdin ? await readStdin() : await promptHidden(`password for ${userId}: `);
      const signIn = await callApi<{ token: string; expiresAt: string; user: User }>({ server }, 'POST', '/api/login', {
        userId,
        password,
      });
      const file = saveCredentials({ server, token: signIn.token, user: signIn.user.id, expiresAt: signIn.expiresAt });
      console.log(`signed in to ${server} as ${describe(signIn.user)} until ${signIn.expiresAt} (kept in ${file})`);
    });

  program
    .command('logout')
    .description('revoke the sign-in token and forget it')
    .action(async () => {
      const [{ callApi }, { credentialsFile, forgetCredentials, readCredentials }] = await Promise.all([
        import('../api-client.js'),
        import('../credentials.js'),
      ]);
      const stored = readCredentials();
      if (!stored) return console.log(`not signed in (no ${credentialsFile()})`);
      try {
        await callApi(stored, 'POST', '/api/logout');
      } finally {
        // Forget it locally even when the server cannot be told: the token expires on its own.
        forgetCredentials();
      }
      console.log(`signed out of ${stored.server}`);
    });

  program
    .command('whoami')
    .description('who the CLI acts as, according to the server')
    .action(async () => {
      const { signedIn, whoAmI } = await import('../api-client.js');
      const conn = signedIn();
      console.log(`${describe(await whoAmI(conn))} at ${conn.server}`);
    });
}

function describe(u: User): string {
  return `${u.id} (${u.name}; roles: ${u.roles.join(', ') || 'none'})`;
}
