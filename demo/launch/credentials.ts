/**
 * Logins for the demo systems: random passwords made once per data dir and kept there (0600), then
 * handed to the bots the same way a real city's secrets are — environment variables named by
 * avlasta.config.yaml (env:AVLASTA_EKONOMI_PASSWORD …). Nothing secret is written in the repository.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DemoCredentials {
  ekonomi: { username: string; password: string };
  arende: { username: string; password: string };
}

export function demoCredentials(dataDir: string): DemoCredentials {
  const file = join(dataDir, 'demo', 'credentials.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials;
  mkdirSync(join(dataDir, 'demo'), { recursive: true });
  const creds: DemoCredentials = {
    ekonomi: { username: 'robot.ekonomi', password: randomBytes(12).toString('base64url') },
    arende: { username: 'robot.arende', password: randomBytes(12).toString('base64url') },
  };
  writeFileSync(file, JSON.stringify(creds, null, 2), { mode: 0o600 });
  return creds;
}

/** The environment the configured secret references read. */
export function credentialsEnv(c: DemoCredentials): Record<string, string> {
  return {
    AVLASTA_EKONOMI_USER: c.ekonomi.username,
    AVLASTA_EKONOMI_PASSWORD: c.ekonomi.password,
    AVLASTA_ARENDE_USER: c.arende.username,
    AVLASTA_ARENDE_PASSWORD: c.arende.password,
  };
}
