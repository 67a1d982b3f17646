/**
 * Local accounts from a YAML file (users.yaml in the data dir by default). The file is re-read
 * when it changes, so `avlasta users add` takes effect without restarting the server.
 *
 * users:
 *   - { id: anna, name: Anna Andersson, roles: [ekonomi-attest], password: "scrypt$...", email: anna@stad.se, lang: sv }
 * tokens:
 *   - { id: import-robot-1, user: import-robot, sha256: "<hex>" }
 */
import { existsSync, readFileSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { DUMMY_PASSWORD_HASH, sha256Hex, verifyPassword } from './password.js';

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
      .array(z.object({ id: z.string().min(1), user: userId, sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict())
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
  /** The user an API token (the clear value from `Authorization: Bearer`) belongs to. */
  findByToken(token: string): User | undefined;
  /** Every enabled account (the notifier finds the people of a role here). */
  list(): User[];
}

export class UsersFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsersFileError';
  }
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

export function fileUserDirectory(path: string): UserDirectory {
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
      const t = current().tokens.find((x) => x.sha256 === hash);
      return t ? this.find(t.user) : undefined;
    },
    list() {
      return current()
        .users.filter((u) => !u.disabled)
        .map(toUser);
    },
  };
}
