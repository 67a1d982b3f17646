/**
 * What CLI commands share: configuration, and connections opened only when a command needs them.
 * The store, Temporal and bot modules are imported on first use, so a command loads only its own.
 */
import type { Client } from '@temporalio/client';
import { loadConfig, type AvlastaConfig } from '../config.js';
import type { BotRegistry } from '../bots/registry.js';
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
    stores: () => (stores ??= import('../store/open-stores.js').then(({ openStores }) => openStores(config))),
    client: () => (client ??= import('../temporal/connect.js').then(({ connectClient }) => connectClient(config))),
    registry: () => (registry ??= loadRegistry(config)),
    async close() {
      // One that failed to open has told its error already; there is nothing to close.
      const ignore = () => undefined;
      await Promise.all([stores?.then((s) => s.close(), ignore), client?.then((c) => c.connection.close(), ignore)]);
    },
  };
}

async function loadRegistry(config: AvlastaConfig): Promise<BotRegistry> {
  const { loadBots } = await import('../bot-runtime/load-bots.js');
  return loadBots(config);
}
