/**
 * Process entry point of a bot worker: `npx tsx workers/bot-worker.ts`. Runs the bots of every
 * configured system (or those named in AVLASTA_BOT_SYSTEMS=a,b). Extra bot modules, each
 * exporting `bots`, can be added with AVLASTA_BOT_MODULES=path1,path2; AVLASTA_BUILTIN_BOTS=off
 * leaves out the bots shipped in bots/ (a worker dedicated to custom bots, and the tests).
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { openStores } from '../store/open-stores.js';
import { loadConfig } from '../config.js';
import { createBotRuntimeLogger } from '../bot-runtime/logger.js';
import { startBotWorker } from '../bot-runtime/worker.js';
import { startWorkerMetrics } from '../metrics/endpoint.js';
import { createBotRegistry, importBots, loadBuiltInBots } from '../bots/registry.js';

const log = createBotRuntimeLogger(process.env.LOG_LEVEL ?? 'info');

async function main(): Promise<void> {
  const config = loadConfig();
  const extraModules = (process.env.AVLASTA_BOT_MODULES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bots = process.env.AVLASTA_BUILTIN_BOTS === 'off' ? [] : await loadBuiltInBots();
  for (const modulePath of extraModules) bots.push(...(await importBots(pathToFileURL(resolve(modulePath)).href)));
  const registry = createBotRegistry(bots);
  const stores = await openStores({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const systems = process.env.AVLASTA_BOT_SYSTEMS?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const heartbeatMs = process.env.AVLASTA_BOT_HEARTBEAT_MS ? Number(process.env.AVLASTA_BOT_HEARTBEAT_MS) : undefined;
  const worker = await startBotWorker({
    config,
    registry,
    stores,
    systems,
    prefix: process.env.AVLASTA_QUEUE_PREFIX,
    heartbeatIntervalMs: heartbeatMs,
    logger: log,
  });
  const metrics = await startWorkerMetrics(config, 'bot-worker');
  if (metrics) log.info({ url: metrics.url }, 'metrics endpoint');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing running jobs');
    worker
      .close()
      .then(() => Promise.all([stores.close(), metrics?.close()]))
      .then(() => process.exit(0))
      .catch((err: Error) => {
        log.error({ err: err.message }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: Error) => {
  log.error({ err: err.message }, 'bot worker failed to start');
  process.exit(1);
});
