/** `avlasta serve`: the API and staff approval inbox, on loopback unless told otherwise. */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

interface ServeOptions {
  port: string;
  host: string;
  users?: string;
  sessionSecretFile?: string;
  secureCookies?: boolean;
  trustProxyHeaders?: boolean;
  trustedProxy: string[];
  proxy: string[];
}

export function registerServeCommand(program: Command, ctx: () => CliContext): void {
  program
    .command('serve')
    .description('serve the staff approval inbox and the JSON API')
    .option('--port <port>', 'TCP port', '8080')
    .option(
      '--host <host>',
      'address to listen on (loopback by default; put a TLS proxy in front for more)',
      '127.0.0.1',
    )
    .option('--users <path>', 'users file (default: <dataDir>/users.yaml)')
    .option(
      '--session-secret-file <path>',
      'file with the cookie-signing secret (default: <dataDir>/session-secret, created if missing)',
    )
    .option('--secure-cookies', 'send cookies only over HTTPS (use behind TLS)')
    .option(
      '--trust-proxy-headers',
      'accept X-Remote-User/X-Remote-Roles from the SSO proxy (see docs/API.md for the risks)',
    )
    .option(
      '--trusted-proxy <address>',
      'remote address allowed to send those headers (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .option(
      '--proxy <address>',
      'address of the TLS proxy in front, whose X-Forwarded-For names the client (repeatable); sign-in lock-outs count per client',
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .action(async (opts: ServeOptions) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new Error(`serve: --port must be 0–65535, not "${opts.port}"`);
      const { startInboxServer } = await import('../../server/start-inbox.js');
      const c = ctx();
      const inbox = await startInboxServer({
        config: c.config,
        stores: await c.stores(),
        client: await c.client(),
        registry: await c.registry(),
        port,
        host: opts.host,
        usersFile: opts.users,
        sessionSecretFile: opts.sessionSecretFile,
        secureCookies: opts.secureCookies ?? false,
        proxies: opts.proxy,
        trustedHeaders: opts.trustProxyHeaders
          ? { enabled: true, proxies: opts.trustedProxy.length ? opts.trustedProxy : undefined }
          : undefined,
        logger: { level: 'info', redact: ['req.headers.authorization', 'req.headers.cookie'] },
      });
      console.log(`avlasta inbox and API on ${inbox.url}`);
      // Stay up until a signal: the CLI's own cleanup (closing stores and client) runs after.
      await new Promise<void>((resolve) => {
        const stop = () => void inbox.close().then(() => resolve());
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        // Started by `avlasta dev` (an IPC channel): stop with it, even when it was killed outright.
        process.channel?.unref();
        process.once('disconnect', stop);
      });
    });
}
