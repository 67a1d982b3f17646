/** Runs the file-drop watcher until SIGINT or SIGTERM: `avlasta watch` and workers/file-drop.ts. */
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { AvlastaConfig } from '../config.js';
import type { BotRegistry } from '../bots/registry.js';
import type { Stores } from '../store/types.js';
import { watchedAutomations } from './drop-folders.js';
import { startFileDropWatcher } from './file-drop-watcher.js';

export interface ServeFileDropOptions {
  config: AvlastaConfig;
  client: Client;
  stores: Stores;
  registry: BotRegistry;
  log: Logger;
  /** Automations named on the command line; otherwise the configuration's `triggers.watch`, or all. */
  automations?: string[];
  automationsDir?: string;
}

export async function serveFileDrop(opts: ServeFileDropOptions): Promise<void> {
  // Listened for first: a signal that finds no listener ends the process before the watcher closes.
  const stop = new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
    // Started by `avlasta dev` with an IPC channel: the channel closes when dev dies, even by SIGKILL.
    process.once('disconnect', () => resolve());
  });
  const automations = await watchedAutomations(opts.config, opts.automationsDir, opts.automations);
  const watcher = await startFileDropWatcher({
    runs: { client: opts.client, config: opts.config, registry: opts.registry, automationsDir: opts.automationsDir },
    audit: opts.stores.audit,
    automations,
    log: opts.log,
  });
  opts.log.info({ automations: automations.length }, 'file-drop watcher started');
  await stop;
  await watcher.close();
}
