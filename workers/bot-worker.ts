/**
 * Process entry point of a bot worker: `node dist/workers/bot-worker.js` (from sources: `npx tsx
 * workers/bot-worker.ts`). Runs the configured bots (the configuration's `bots` list) of every
 * configured system, or of those named in AVLASTA_BOT_SYSTEMS=a,b.
 */
import { openStores } from '../store/open-stores.js';
import { loadConfig } from '../config.js';
import { createBotRuntimeLogger } from '../bot-runtime/logger.js';
import { startBotWorker } from '../bot-runtime/worker.js';
import { loadBots } from '../bot-runtime/load-bots.js';
import { startWorkerMetrics } from '../metrics/endpoint.js';
import { exitOnError } from '../operator-error.js';

const log = createBotRuntimeLogger(process.env.LOG_LEVEL ?? 'info');

/**
 * The first SIGINT or SIGTERM; later ones are ignored while the worker finishes its jobs. Listened
 * for before anything starts: a signal that finds no listener ends the process at once.
 */
const stopSignal = new Promise<NodeJS.Signals>((resolve) => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => resolve(signal));
  // Started by `avlasta dev` (an IPC channel): stop with it, even when it was killed outright.
  process.channel?.unref();
  process.once('disconnect', () => resolve('SIGTERM'));
});

async function main(): Promise<void> {
  const config = loadConfig();
  const registry = await loadBots(config);
  const stores = await openStores(config);
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

  const signal = await stopSignal;
  log.info({ signal }, 'shutting down: finishing running jobs');
  try {
    await worker.close();
    await Promise.all([stores.close(), metrics?.close()]);
  } catch (err) {
    log.error({ err: (err as Error).message }, 'shutdown failed');
    process.exit(1);
  }
  process.exit(0);
}

main().catch(exitOnError('bot worker'));
