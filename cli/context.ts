/** What CLI commands share: configuration, and connections opened only when a command needs them. */
import type { Client } from '@temporalio/client';
import { loadConfig, type AvlastaConfig } from '../config.js';
import { openStores } from '../store/open-stores.js';
import { createBotRegistry, loadBuiltInBots, type BotRegistry } from '../bots/registry.js';
import { connectClient } from '../temporal/connect.js';
import type { Stores } from '../store/types.js';

export interface CliContext {
  config: AvlastaConfig;
  stores(): Promise<Stores>;
  client(): Promise<Client>;
  registry(): Promise<BotRegistry>;
  close(): Promise<void>;
}

export function createCliContext(config: AvlastaConfig = loadConfig()): CliContext {
  let stores: Promise<Stores> | undefined;
  let client: Promise<Client> | undefined;
  let registry: Promise<BotRegistry> | undefined;
  return {
    config,
    stores: () => (stores ??= openStores(config)),
    client: () => (client ??= connectClient(config)),
    registry: () => (registry ??= loadBuiltInBots().then(createBotRegistry)),
    async close() {
      // One that failed to open has told its error already; there is nothing to close.
      const ignore = () => undefined;
      await Promise.all([stores?.then((s) => s.close(), ignore), client?.then((c) => c.connection.close(), ignore)]);
    },
  };
}
