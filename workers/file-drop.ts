/**
 * Process entry point of the file-drop watcher: `node dist/workers/file-drop.js` (from sources:
 * `npx tsx workers/file-drop.ts`; the same as `avlasta watch`). Watches the drop folder of every
 * automation in `triggers.watch` (all of them when unset); see triggers/ and docs/OPERATING.md.
 */
import { loadConfig } from '../config.js';
import { createBotRuntimeLogger } from '../bot-runtime/logger.js';
import { loadBots } from '../bot-runtime/load-bots.js';
import { openStores } from '../store/open-stores.js';
import { connectClient } from '../temporal/connect.js';
import { serveFileDrop } from '../triggers/serve-file-drop.js';
import { exitOnError } from '../operator-error.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createBotRuntimeLogger(process.env.LOG_LEVEL ?? 'info', undefined, 'file-drop');
  const registry = await loadBots(config);
  const stores = await openStores(config);
  const client = await connectClient(config);
  try {
    await serveFileDrop({ config, client, stores, registry, log });
  } finally {
    await Promise.all([stores.close(), client.connection.close()]);
  }
}

await main().catch(exitOnError('file-drop watcher'));
