/**
 * Builds the inbox/API server on the engine and listens: the one path used by `avlasta serve`
 * and by the demo (`npm start`).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { FastifyServerOptions } from 'fastify';
import type { AvlastaConfig } from '../config.js';
import type { BotRegistry } from '../bots/registry.js';
import type { Stores } from '../store/types.js';
import { createBotQueues } from '../bot-runtime/queues.js';
import { createNotifier } from '../notify/notifier.js';
import { defaultUsersFile, fileUserDirectory } from './auth/users.js';
import { buildServer } from './build-server.js';
import { engineRunService } from './run-service.js';

export interface InboxServerOptions {
  config: AvlastaConfig;
  stores: Stores;
  client: Client;
  registry: BotRegistry;
  port: number;
  host: string;
  usersFile?: string;
  sessionSecretFile?: string;
  secureCookies?: boolean;
  trustedHeaders?: { enabled: true; proxies?: string[] };
  /** The reverse proxy's addresses, whose X-Forwarded-For is believed (buildServer `proxies`). */
  proxies?: string[];
  logger?: FastifyServerOptions['logger'];
}

/** Shared by every server on the same data dir, so a session survives a restart of one of them. */
export function loadSessionSecret(dataDir: string, file?: string): string {
  const path = file ?? join(dataDir, 'session-secret');
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  const secret = readFileSync(path, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${path}: the session secret must have at least 32 characters`);
  return secret;
}

export async function startInboxServer(o: InboxServerOptions): Promise<{ url: string; close(): Promise<void> }> {
  const botQueues = createBotQueues(o.config);
  const queues = new Map(Object.keys(o.config.systems).map((system) => [system, botQueues.queueFor(system)]));
  const users = fileUserDirectory(o.usersFile ?? defaultUsersFile(o.config));
  const app = await buildServer({
    queues,
    config: o.config,
    stores: o.stores,
    temporal: o.client,
    runs: engineRunService({ client: o.client, config: o.config, registry: o.registry }),
    users,
    sessionSecret: loadSessionSecret(o.config.dataDir, o.sessionSecretFile),
    secureCookies: o.secureCookies ?? false,
    trustedHeaders: o.trustedHeaders,
    proxies: o.proxies,
    logger: o.logger ?? false,
  });
  const url = await app.listen({ port: o.port, host: o.host });
  const { smtp, webhook } = o.config.notifications;
  const notifier = smtp || webhook ? createNotifier({ config: o.config, stores: o.stores, users }) : undefined;
  const stopNotifier = notifier?.start();
  return {
    url,
    async close() {
      stopNotifier?.();
      notifier?.close();
      await app.close();
      await botQueues.close();
    },
  };
}
