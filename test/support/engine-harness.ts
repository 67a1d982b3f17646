/**
 * Starts the real engine for a test file: a Temporal worker on a fresh task queue (real dev
 * server), a bot worker on fresh BullMQ queues (real Redis), SQLite stores in a temp dir, and a
 * client. Everything it starts, `stop()` stops.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import type { Client } from '@temporalio/client';
import { loadConfig, type AvlastaConfig } from '../../config.js';
import { openStores } from '../../store/open-stores.js';
import { createBotQueues } from '../../bot-runtime/queues.js';
import { startBotWorker } from '../../bot-runtime/worker.js';
import type { BotDefinition } from '../../bots/define-bot.js';
import { createBotRegistry, type BotRegistry } from '../../bots/registry.js';
import { bundleWorkflows, installQuietRuntime, startTemporalWorker } from '../../temporal/worker.js';
import type { Stores } from '../../store/types.js';
import { connectClient } from '../../temporal/connect.js';

export interface EngineHarness {
  config: AvlastaConfig;
  stores: Stores;
  client: Client;
  registry: BotRegistry;
  dataDir: string;
  /** Redis key prefix of this harness's bot queues. */
  queuePrefix: string;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  bots: BotDefinition[];
  /** systems: name → baseUrl etc. (YAML-shaped, as in avlasta.config.yaml). */
  systems: Record<string, unknown>;
  configExtra?: Record<string, unknown>;
  env?: Record<string, string>;
}

export async function startEngine(opts: HarnessOptions): Promise<EngineHarness> {
  installQuietRuntime();
  const dataDir = mkdtempSync(join(tmpdir(), 'avlasta-engine-'));
  const id = randomUUID().slice(0, 8);
  const configFile = join(dataDir, 'avlasta.config.yaml');
  writeFileSync(configFile, JSON.stringify({ systems: opts.systems, ...opts.configExtra }));
  const config = loadConfig({
    ...process.env,
    AVLASTA_CONFIG: configFile,
    AVLASTA_DATA_DIR: dataDir,
    AVLASTA_TASK_QUEUE: `test-${id}`,
    ...opts.env,
  });
  const stores = await openStores({ dataDir });
  const registry = createBotRegistry(opts.bots);
  const prefix = `test-${id}`;
  const queues = createBotQueues(config, { prefix });
  const worker = await startTemporalWorker({ config, stores, registry, queues, workflowBundle: await sharedBundle() });
  const bots = await startBotWorker({
    config,
    registry,
    stores,
    prefix,
    env: { ...process.env, ...opts.env },
    heartbeatIntervalMs: 1000,
    logger: quietLogger(),
  });
  const client = await connectClient(config);
  return {
    config,
    stores,
    client,
    registry,
    dataDir,
    queuePrefix: prefix,
    async stop() {
      await bots.close();
      await worker.shutdown();
      await queues.close();
      await client.connection.close();
      await stores.close();
    },
  };
}

let bundle: ReturnType<typeof bundleWorkflows> | undefined;
function sharedBundle() {
  return (bundle ??= bundleWorkflows());
}

function quietLogger() {
  return pino({ level: process.env.AVLASTA_TEST_LOG ?? 'warn', name: 'bot-worker' });
}
