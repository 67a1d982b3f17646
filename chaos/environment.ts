/**
 * Everything a chaos run runs on, started fresh and owned by the run: redis-server, a Temporal
 * dev server, a PostgreSQL database, toxiproxy with a Temporal and a Redis link per bot worker,
 * the flaky target, one Temporal worker and two bot workers as separate processes. Nothing of the
 * machine's shared services is touched but the PostgreSQL server, where it has its own database.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { stringify } from 'yaml';
import { loadConfig, type AvlastaConfig } from '../config.js';
import { resolveChromiumPath } from '../bot-runtime/chromium-path.js';
import { queueName } from '../bot-runtime/queues.js';
import { openStores } from '../store/open-stores.js';
import type { Stores } from '../store/types.js';
import { connectClient } from '../temporal/connect.js';
import type { Client } from '@temporalio/client';
import type { FaultTargets } from './faults.js';
import { workerProcess, type WorkerProcess } from './processes.js';
import { createChaosDatabase, startOwnRedis, startOwnTemporal } from './services.js';
import { startChaosTarget, targetCredentials } from './target.js';
import { startToxiproxy } from './toxiproxy.js';

export interface ChaosEnvironmentOptions {
  dir: string;
  seed: number;
  /** Bot jobs started per second across both bot workers (paces the run to outlast the faults). */
  jobsPerSecond: number;
  /** The PostgreSQL server the suite makes its database on. */
  postgresUrl: string;
  database: string;
  log: (line: string) => void;
}

export interface ChaosEnvironment extends FaultTargets {
  dir: string;
  config: AvlastaConfig;
  client: Client;
  /** The driver's own view of the audit store and ledger (for the checks). */
  stores: Stores;
  startWorkers(): void;
  close(): Promise<void>;
}

const botWorkerCount = 2;

export async function startChaosEnvironment(opts: ChaosEnvironmentOptions): Promise<ChaosEnvironment> {
  const { dir, log } = opts;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const cleanups: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err: Error) => log(`clean-up: ${err.message}`));
  };
  try {
    const proxy = await startToxiproxy();
    cleanups.push(() => proxy.close());
    const redis = await startOwnRedis(dir);
    cleanups.push(() => redis.stop());
    log(`redis-server ${redis.url}`);
    const temporal = await startOwnTemporal(dir);
    cleanups.push(() => temporal.stop());
    log(`Temporal dev server ${temporal.address} (UI ${temporal.uiUrl})`);
    const db = await createChaosDatabase(opts.postgresUrl, opts.database);
    cleanups.push(() => db.close());
    log(`PostgreSQL database ${opts.database}`);
    const target = await startChaosTarget(dir, opts.seed);
    cleanups.push(() => target.close());
    log(`target (Ekonomisystemet, flaky) ${target.url}`);

    const configFile = join(dir, 'avlasta.config.yaml');
    writeFileSync(
      configFile,
      stringify({
        temporal: {
          address: temporal.address,
          namespace: 'default',
          taskQueue: 'avlasta-chaos',
          uiUrl: temporal.uiUrl,
        },
        redisUrl: redis.url,
        databaseUrl: db.url,
        dataDir: join(dir, 'data'),
        chromiumPath: resolveChromiumPath(process.env.AVLASTA_CHROMIUM || undefined),
        botTracing: 'off',
        evidenceScreenshots: 'never',
        systems: {
          ekonomi: {
            baseUrl: target.url,
            concurrency: 2,
            rateLimit: { max: 1, perMs: Math.max(50, Math.round(1000 / opts.jobsPerSecond)) },
            secrets: { username: 'env:AVLASTA_EKONOMI_USER', password: 'env:AVLASTA_EKONOMI_PASSWORD' },
          },
        },
      }),
    );
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AVLASTA_CONFIG: configFile,
      AVLASTA_PAYLOAD_KEY: randomBytes(32).toString('base64'),
      AVLASTA_EKONOMI_USER: targetCredentials.username,
      AVLASTA_EKONOMI_PASSWORD: targetCredentials.password,
      LOG_LEVEL: 'warn',
      // Several workers of one kind on this host: none takes a fixed metrics port.
      AVLASTA_METRICS_PORT: '0',
    };
    for (const name of [
      'TEMPORAL_ADDRESS',
      'REDIS_URL',
      'AVLASTA_DATABASE_URL',
      'AVLASTA_DATA_DIR',
      'AVLASTA_TASK_QUEUE',
    ])
      delete env[name];
    const config = loadConfig(env);

    const links = { temporal: [] as string[], redis: [] as string[] };
    const botWorkers: WorkerProcess[] = [];
    for (let i = 1; i <= botWorkerCount; i++) {
      const temporalLink = await proxy.add(`temporal-bot-worker-${i}`, temporal.address);
      const redisLink = await proxy.add(`redis-bot-worker-${i}`, new URL(redis.url).host);
      links.temporal.push(`temporal-bot-worker-${i}`);
      links.redis.push(`redis-bot-worker-${i}`);
      botWorkers.push(
        workerProcess(
          `bot-worker-${i}`,
          'workers/bot-worker.ts',
          {
            ...env,
            TEMPORAL_ADDRESS: temporalLink,
            REDIS_URL: `redis://${redisLink}`,
            AVLASTA_BOT_SYSTEMS: 'ekonomi',
          },
          join(dir, 'logs', `bot-worker-${i}.log`),
        ),
      );
    }
    const temporalWorker = workerProcess(
      'temporal-worker',
      'workers/temporal-worker.ts',
      env,
      join(dir, 'logs', 'temporal-worker.log'),
    );
    cleanups.push(async () => {
      await Promise.all([...botWorkers, temporalWorker].map((w) => w.stop(20_000)));
    });

    const client = await connectClient(config);
    cleanups.push(() => client.connection.close());
    const stores = await openStores({ databaseUrl: db.url, dataDir: config.dataDir });
    cleanups.push(() => stores.close());
    const queueRedis = new Redis(redis.url, { maxRetriesPerRequest: null });
    queueRedis.on('error', () => undefined);
    const queue = new Queue(queueName('ekonomi'), { connection: queueRedis, prefix: 'avlasta' });
    queue.on('error', () => undefined);
    cleanups.push(async () => {
      await queue.close();
      queueRedis.disconnect();
    });

    return {
      dir,
      config,
      client,
      stores,
      temporalWorker,
      botWorkers,
      links,
      proxy,
      redis,
      temporal,
      db,
      target,
      queue,
      startWorkers() {
        for (const worker of [temporalWorker, ...botWorkers]) worker.start();
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
