/**
 * Starts the real engine for a test file or a benchmark: a Temporal worker on a fresh task queue
 * (real dev server), a bot worker on fresh BullMQ queues (real Redis), SQLite stores in a temp
 * dir, and a client. Everything it starts, `stop()` stops; it leaves no queue in Redis and no
 * temp dir behind.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Client } from '@temporalio/client';
import type { WorkflowBundle } from '@temporalio/worker';
import { stringify } from 'yaml';
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
  /** The BullMQ prefix of this engine's queues. */
  prefix: string;
  /**
   * The environment this engine's configuration was read from (config file, data dir, task
   * queue, queue prefix; the payload key is generated in the data dir): a spawned `workers/bot-worker.ts` joins it with these.
   */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  bots: BotDefinition[];
  /** systems: name → baseUrl etc. (YAML-shaped, as in avlasta.config.yaml). */
  systems: Record<string, unknown>;
  configExtra?: Record<string, unknown>;
  env?: Record<string, string>;
  /** Names the temp dir, the task queue and the queue prefix. @defaultValue 'test' */
  label?: string;
  /**
   * The bot worker: in this process with one-second heartbeats, so a test sees a cancelled job
   * at once (`'test'`); in this process with its own settings as deployed (`'product'`, what a
   * benchmark measures); or none (`'none'`: the caller spawns one with `env`).
   * @defaultValue 'test'
   */
  botWorker?: 'test' | 'product' | 'none';
  /** The workflow code to run. @defaultValue the product's workflows/, bundled once per process */
  workflowBundle?: WorkflowBundle;
}

export async function startEngine(opts: HarnessOptions): Promise<EngineHarness> {
  installQuietRuntime();
  const label = opts.label ?? 'test';
  const dataDir = mkdtempSync(join(tmpdir(), `avlasta-${label}-`));
  const prefix = `${label}-${randomUUID().slice(0, 8)}`;
  const configFile = join(dataDir, 'avlasta.config.yaml');
  writeFileSync(configFile, stringify({ systems: opts.systems, ...opts.configExtra }));
  const env: Record<string, string> = {
    AVLASTA_CONFIG: configFile,
    AVLASTA_DATA_DIR: dataDir,
    AVLASTA_TASK_QUEUE: prefix,
    AVLASTA_QUEUE_PREFIX: prefix,
    // A spawned worker must not take the fixed metrics port other test files' workers want.
    AVLASTA_METRICS_PORT: '0',
    ...opts.env,
  };
  const config = loadConfig({ ...process.env, ...env });
  const stores = await openStores({ dataDir });
  const registry = createBotRegistry(opts.bots.map((bot) => ({ bot, source: 'the engine harness' })));
  const queues = createBotQueues(config, { prefix });
  const worker = await startTemporalWorker({
    config,
    stores,
    registry,
    queues,
    workflowBundle: opts.workflowBundle ?? (await sharedBundle()),
  });
  const botWorker = opts.botWorker ?? 'test';
  const bots =
    botWorker === 'none'
      ? undefined
      : await startBotWorker({
          config,
          registry,
          stores,
          prefix,
          env: { ...process.env, ...opts.env },
          heartbeatIntervalMs: botWorker === 'test' ? 1000 : undefined,
          logger: pino({ level: process.env.AVLASTA_TEST_LOG ?? 'warn', name: 'bot-worker' }),
        });
  const client = await connectClient(config);
  return {
    config,
    stores,
    client,
    registry,
    dataDir,
    prefix,
    env,
    async stop() {
      await bots?.close();
      await worker.shutdown();
      // Leave nothing in the shared Redis: finished jobs are otherwise kept for a day.
      for (const system of Object.keys(opts.systems))
        await queues
          .queueFor(system)
          .obliterate({ force: true })
          .catch(() => undefined);
      await queues.close();
      await client.connection.close();
      await stores.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let bundle: Promise<WorkflowBundle> | undefined;
function sharedBundle() {
  return (bundle ??= bundleWorkflows());
}
