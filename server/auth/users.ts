/**
 * Local accounts from a YAML file (users.yaml in the data dir by default). The file is re-read
 * when it changes, so `avlasta users add` takes effect without restarting the server.
 *
 * users:
 *   - { id: anna, name: Anna Andersson, roles: [ekonomi-attest], password: "scrypt$...", email: anna@stad.se, lang: sv }
 * tokens:
 *   - { id: import-robot-1, user: import-robot, sha256: "<hex>" }
 *   - { id: login-2025-03-01T08:00:00Z-3f9a, user: anna, sha256: "<hex>", expiresAt: "2025-03-01T18:00:00.000Z" }
 *
 * Machine tokens (`avlasta users token`) last until removed; tokens from `avlasta login` expire.
 * Every change goes through updateUsersFile, one writer at a time, so the server issuing a
 * sign-in token and an administrator adding a person never lose each other's change.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import type { AvlastaConfig } from '../../config.js';
import { DUMMY_PASSWORD_HASH, newApiToken, sha256Hex, verifyPassword } from './password.js';

const userId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a user id of lowercase letters, digits, ".", "_" or "-"');

const usersFileSchema = z
  .object({
    users: z
      .array(
        z
          .object({
            id: userId,
            name: z.string().min(1),
            roles: z.array(z.string().regex(/^[a-z0-9][a-z0-9._:-]*$/, 'a role such as "ekonomi-attest"')).default([]),
            password: z.string().optional(),
            /** Where notices go (notify/): items waiting, reminders, escalations. */
            email: z.string().email().optional(),
            /** The language of those notices. @defaultValue 'sv' */
            lang: z.enum(['sv', 'en']).optional(),
            disabled: z.boolean().default(false),
          })
          .strict(),
      )
      .default([]),
    tokens: z
      .array(
        z
          .object({
            id: z.string().min(1),
            user: userId,
            sha256: z.string().regex(/^[0-9a-f]{64}$/),
            expiresAt: z.iso.datetime().optional(),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export type UsersFile = z.infer<typeof usersFileSchema>;

export interface User {
  id: string;
  name: string;
  roles: string[];
  email?: string;
  lang?: 'sv' | 'en';
}

/** What the server needs to know about people. */
export interface UserDirectory {
  find(id: string): User | undefined;
  /** The user when the password matches an enabled account; undefined otherwise. */
  verify(id: string, password: string): Promise<User | undefined>;
  /** The user an API token (the clear value from `Authorization: Bearer`) belongs to, while it lasts. */
  findByToken(token: string): User | undefined;
  /** A new token for the user (the CLI's sign-in), valid until `expiresAt`; its clear value, once. */
  issueToken(userId: string, expiresAt: Date): Promise<string>;
  /** Removes the token, so it is refused from now on (sign-out). */
  revokeToken(token: string): Promise<void>;
  /** Every enabled account (the notifier finds the people of a role here). */
  list(): User[];
}

export class UsersFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsersFileError';
  }
}

/** The users file when none is named: users.yaml in the data dir. */
export function defaultUsersFile(config: AvlastaConfig): string {
  return join(config.dataDir, 'users.yaml');
}

export function readUsersFile(path: string): UsersFile {
  if (!existsSync(path)) return { users: [], tokens: [] };
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8')) ?? {};
  } catch (err) {
    throw new UsersFileError(`${path}: ${(err as Error).message}`);
  }
  const parsed = usersFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new UsersFileError(
      parsed.error.issues.map((i) => `${path}: ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n'),
    );
  }
  const seen = new Set<string>();
  for (const u of parsed.data.users) {
    if (seen.has(u.id)) throw new UsersFileError(`${path}: user "${u.id}" is listed twice`);
    seen.add(u.id);
  }
  return parsed.data;
}

/** Writes atomically (temp file + rename), owner-readable only: it holds password hashes. */
export function writeUsersFile(path: string, data: UsersFile): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, stringifyYaml(usersFileSchema.parse(data)), { mode: 0o600 });
  renameSync(tmp, path);
}

/**
 * Reads, changes and writes the file while holding `<file>.lock`, so two writers (the server and
 * `avlasta users`, or two servers) cannot lose each other's change. A lock older than
 * STALE_LOCK_MS was left by a process that died, and is taken over.
 */
export async function updateUsersFile(path: string, change: (data: UsersFile) => void): Promise<UsersFile> {
  const lock = `${path}.lock`;
  // The first account is often added before anything else has made the data dir.
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  for (let attempt = 0; ; attempt++) {
    try {
      await (await open(lock, 'wx', 0o600)).close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) rmSync(lock, { force: true });
      else if (attempt >= 200) throw new UsersFileError(`${path} stays locked by another writer (${lock}); try again`);
      else await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  try {
    const data = readUsersFile(path);
    change(data);
    writeUsersFile(path, data);
    return data;
  } finally {
    rmSync(lock, { force: true });
  }
}

const STALE_LOCK_MS = 10_000;

export function fileUserDirectory(path: string, now: () => number = Date.now): UserDirectory {
  let loadedMtime = -1;
  let data: UsersFile = { users: [], tokens: [] };
  const current = (): UsersFile => {
    const mtime = existsSync(path) ? statSync(path).mtimeMs : 0;
    if (mtime !== loadedMtime) {
      data = readUsersFile(path);
      loadedMtime = mtime;
    }
    return data;
  };
  const toUser = (u: UsersFile['users'][number]): User => ({
    id: u.id,
    name: u.name,
    roles: u.roles,
    ...(u.email ? { email: u.email } : {}),
    ...(u.lang ? { lang: u.lang } : {}),
  });
  return {
    find(id) {
      const u = current().users.find((x) => x.id === id && !x.disabled);
      return u && toUser(u);
    },
    async verify(id, password) {
      const u = current().users.find((x) => x.id === id);
      // Always run scrypt, so an unknown user takes as long as a wrong password.
      const ok = await verifyPassword(password, u?.password ?? DUMMY_PASSWORD_HASH);
      return ok && u && u.password && !u.disabled ? toUser(u) : undefined;
    },
    findByToken(token) {
      const hash = sha256Hex(token);
      const t = current().tokens.find((x) => x.sha256 === hash && !expired(x));
      return t ? this.find(t.user) : undefined;
    },
    async issueToken(userId, expiresAt) {
      const { token, sha256 } = newApiToken();
      const label = `login-${new Date(now()).toISOString()}-${sha256.slice(0, 4)}`;
      await updateUsersFile(path, (d) => {
        // Expired sign-in tokens are of no use to anyone: they go with the next one.
        d.tokens = d.tokens.filter((x) => !expired(x));
        d.tokens.push({ id: label, user: userId, sha256, expiresAt: expiresAt.toISOString() });
      });
      return token;
    },
    async revokeToken(token) {
      const hash = sha256Hex(token);
      await updateUsersFile(path, (d) => void (d.tokens = d.tokens.filter((x) => x.sha256 !== hash)));
    },
    list() {
      return current()
        .users.filter((u) => !u.disabled)
        .map(toUser);
    },
  };
  function expired(t: UsersFile['tokens'][number]): boolean {
    return t.expiresAt !== undefined && Date.parse(t.expiresAt) <= now();
  }
}
