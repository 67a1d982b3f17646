/** Process entry: the Temporal worker running Avlasta's workflows and activities. */
import { loadConfig } from '../config.js';
import { openStores } from '../store/open-stores.js';
import { createBotQueues } from '../bot-runtime/queues.js';
import { createBotRegistry, loadBuiltInBots } from '../bots/registry.js';
import { startWorkerMetrics } from '../metrics/endpoint.js';
import { temporalSdkAddress } from '../metrics/temporal-sdk.js';
import { installRuntime, startTemporalWorker } from '../temporal/worker.js';

const config = loadConfig();
installRuntime({ prometheusAddress: config.metrics.temporalWorkerPort ? temporalSdkAddress(config) : undefined });
const metrics = await startWorkerMetrics(config, 'temporal-worker');
const stores = await openStores({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
const queues = createBotQueues(config);
const running = await startTemporalWorker({
  config,
  stores,
  queues,
  registry: createBotRegistry(await loadBuiltInBots()),
});
console.log(`avlasta temporal worker on task queue ${config.temporal.taskQueue} at ${config.temporal.address}`);
if (metrics) console.log(`metrics on ${metrics.url}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void running.shutdown());
await running.done;
await Promise.all([queues.close(), stores.close(), metrics?.close()]);
