/**
 * Process entry: the Temporal worker running Avlasta's workflows and activities.
 * `node dist/workers/temporal-worker.js` (from sources: `npx tsx workers/temporal-worker.ts`).
 */
import { loadConfig } from '../config.js';
import { openStores } from '../store/open-stores.js';
import { createBotQueues } from '../bot-runtime/queues.js';
import { loadBots } from '../bot-runtime/load-bots.js';
import { startWorkerMetrics } from '../metrics/endpoint.js';
import { temporalSdkAddress } from '../metrics/temporal-sdk.js';
import { installRuntime, startTemporalWorker } from '../temporal/worker.js';
import { exitOnError } from '../operator-error.js';

async function main(): Promise<void> {
  const config = loadConfig();
  installRuntime({ prometheusAddress: config.metrics.temporalWorkerPort ? temporalSdkAddress(config) : undefined });
  const registry = await loadBots(config);
  const metrics = await startWorkerMetrics(config, 'temporal-worker');
  const stores = await openStores(config);
  const queues = createBotQueues(config, { prefix: process.env.AVLASTA_QUEUE_PREFIX });
  const running = await startTemporalWorker({ config, stores, queues, registry });
  console.log(`avlasta temporal worker on task queue ${config.temporal.taskQueue} at ${config.temporal.address}`);
  if (metrics) console.log(`metrics on ${metrics.url}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void running.shutdown());
  // Started by `avlasta dev` (an IPC channel): stop with it, even when it was killed outright.
  process.channel?.unref();
  process.once('disconnect', () => void running.shutdown());
  await running.done;
  await Promise.all([queues.close(), stores.close(), metrics?.close()]);
}

await main().catch(exitOnError('temporal worker'));
