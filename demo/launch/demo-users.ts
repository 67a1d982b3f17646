/**
 * People for the demo inbox: an approver holding both automations' approver roles, the ops user
 * who starts the runs (and so may not approve them: four-eyes), and an auditor. Passwords are
 * random, made once per data dir, stored hashed in users.yaml and in clear only in the demo's own
 * 0600 credentials file so they can be shown again at the next start.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashPassword } from '../../server/auth/password.js';
import { readUsersFile, updateUsersFile, type UsersFile } from '../../server/auth/users.js';

export const demoPeople = [
  { id: 'demo-approver', name: 'Anna Attestant', roles: ['ekonomi-attestant', 'ekonomi-chef', 'handlaggare'] },
  { id: 'demo-ops', name: 'Olle Drift', roles: ['ops'] },
  { id: 'demo-auditor', name: 'Greta Granskare', roles: ['auditor'] },
];

export async function ensureDemoUsers(dataDir: string, usersFile: string): Promise<Record<string, string>> {
  const passwordsFile = join(dataDir, 'demo', 'staff-passwords.json');
  const passwords: Record<string, string> = existsSync(passwordsFile)
    ? JSON.parse(readFileSync(passwordsFile, 'utf8'))
    : {};
  const existing = readUsersFile(usersFile).users;
  const missing = demoPeople.filter((p) => !(existing.some((u) => u.id === p.id) && passwords[p.id]));
  if (missing.length === 0) return passwords;
  const fresh: UsersFile['users'] = [];
  for (const person of missing) {
    passwords[person.id] = randomBytes(9).toString('base64url');
    fresh.push({ ...person, password: await hashPassword(passwords[person.id]), disabled: false });
  }
  await updateUsersFile(usersFile, (data) => {
    data.users = [...data.users.filter((u) => !missing.some((m) => m.id === u.id)), ...fresh];
  });
  writeFileSync(passwordsFile, JSON.stringify(passwords, null, 2), { mode: 0o600 });
  return passwords;
}
