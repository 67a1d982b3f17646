/**
 * Where `avlasta login` keeps the person's sign-in: the server's URL and a personal API token, in
 * the user's own config folder (not the data dir, which belongs to the service), readable by its
 * owner only. A file others can read is refused, as ssh refuses a readable private key.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { CliError } from './cli-error.js';

const credentialsSchema = z
  .object({
    server: z.string().url(),
    token: z.string().min(1),
    user: z.string().min(1),
    expiresAt: z.string().optional(),
  })
  .strict();

export type Credentials = z.infer<typeof credentialsSchema>;

/** AVLASTA_CREDENTIALS_FILE, else $XDG_CONFIG_HOME/avlasta/credentials.json (~/.config by default). */
export function credentialsFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AVLASTA_CREDENTIALS_FILE) return resolve(env.AVLASTA_CREDENTIALS_FILE);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'avlasta', 'credentials.json');
}

export function readCredentials(env: NodeJS.ProcessEnv = process.env): Credentials | undefined {
  const file = credentialsFile(env);
  if (!existsSync(file)) return undefined;
  if ((statSync(file).mode & 0o077) !== 0)
    throw new CliError(
      `${file} is readable by others: run \`chmod 600 ${file}\` or sign in again with \`avlasta login\``,
    );
  const parsed = credentialsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new CliError(`${file} is not a sign-in of avlasta: sign in again with \`avlasta login\``);
  return parsed.data;
}

export function saveCredentials(credentials: Credentials, env: NodeJS.ProcessEnv = process.env): string {
  const file = credentialsFile(env);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600); // whatever the umask
  renameSync(tmp, file);
  return file;
}

export function forgetCredentials(env: NodeJS.ProcessEnv = process.env): void {
  rmSync(credentialsFile(env), { force: true });
}
