/** `avlasta serve`: the API and staff approval inbox, on loopback unless told otherwise. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildServer } from '../../server/build-server.js';
import { fileUserDirectory } from '../../server/auth/users.js';
import { engineRunService } from '../../server/run-service.js';
import type { CliContext } from '../context.js';
import { usersFilePath } from './users.js';

/** Shared by every server on the same data dir, so a session survives a restart of one of them. */
function loadSessionSecret(dataDir: string, file?: string): string {
  const path = file ?? join(dataDir, 'session-secret');
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  const secret = readFileSync(path, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${path}: the session secret must have at least 32 characters`);
  return secret;
}

interface ServeOptions {
  port: string;
  host: string;
  users?: string;
  sessionSecretFile?: string;
  secureCookies?: boolean;
  trustProxyHeaders?: boolean;
  trustedProxy: string[];
}

export function registerServeCommand(program: Command, ctx: () => CliContext): void {
  program
    .command('serve')
    .description('serve the staff approval inbox and the JSON API')
    .option('--port <port>', 'TCP port', '8080')
    .option('--host <host>', 'address to listen on (loopback by default; put a TLS proxy in front for more)', '127.0.0.1')
    .option('--users <path>', 'users file (default: <dataDir>/users.yaml)')
    .option('--session-secret-file <path>', 'file with the cookie-signing secret (default: <dataDir>/session-secret, created if missing)')
    .option('--secure-cookies', 'send cookies only over HTTPS (use behind TLS)')
    .option('--trust-proxy-headers', 'accept X-Remote-User/X-Remote-Roles from the SSO proxy (see docs/API.md for the risks)')
    .option('--trusted-proxy <address>', 'remote address allowed to send those headers (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .action(async (opts: ServeOptions) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`serve: --port must be 0–65535, not "${opts.port}"`);
      const c = ctx();
      const client = await c.client();
      const stores = await c.stores();
      const app = await buildServer({
        config: c.config,
        stores,
        temporal: client,
        runs: engineRunService({ client, config: c.config, registry: await c.registry() }),
        users: fileUserDirectory(usersFilePath(c, opts.users)),
        sessionSecret: loadSessionSecret(c.config.dataDir, opts.sessionSecretFile),
        secureCookies: opts.secureCookies ?? false,
        trustedHeaders: opts.trustProxyHeaders ? { enabled: true, proxies: opts.trustedProxy.length ? opts.trustedProxy : undefined } : undefined,
        logger: { level: 'info', redact: ['req.headers.authorization', 'req.headers.cookie'] },
      });
      const address = await app.listen({ port, host: opts.host });
      console.log(`avlasta inbox and API on ${address}`);
      // Stay up until a signal: the CLI's own cleanup (closing stores and client) runs after.
      await new Promise<void>((resolve) => {
        const stop = () => void app.close().then(() => resolve());
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
