/**
 * Starts the real engine for one benchmark: a Temporal worker on a unique task queue (the running
 * dev server), a bot worker on a unique BullMQ prefix (real Redis) either in this process or as a
 * separate `workers/bot-worker.ts` process, SQLite stores in a temp dir, and a client.
 * `stop()` stops all of it and removes the temp dir.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { stringify } from 'yaml';
import { openStores } from '../../store/open-stores.js';
import { createBotQueues } from '../../bot-runtime/queues.js';
import type { TracePolicy } from '../../bot-runtime/execute-bot.js';
import { startBotWorker, type RunningBotWorker } from '../../bot-runtime/worker.js';
import { loadBots } from '../../bot-runtime/load-bots.js';
import type { BotRegistry } from '../../bots/registry.js';
import { loadConfig, type AvlastaConfig } from '../../config.js';
import { bundleWorkflows, installQuietRuntime, startTemporalWorker } from '../../temporal/worker.js';
import { startRun } from '../../engine/runs.js';
import type { Stores } from '../../store/types.js';
import { connectClient } from '../../temporal/connect.js';
import type { RunSummary } from '../../workflows/types.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const automationsDir = fileURLToPath(new URL('../fixtures/automations/', import.meta.url));
const benchBotModule = fileURLToPath(new URL('../fixtures/bench-bots.ts', import.meta.url));

export interface BenchEngineOptions {
  systems: Record<string, unknown>;
  configExtra?: Record<string, unknown>;
  /** Where the bot worker runs. @defaultValue 'in-process' */
  botWorker?: 'in-process' | 'process' | 'none';
  heartbeatIntervalMs?: number;
  /** Extra environment for a spawned bot worker (e.g. NODE_OPTIONS for profiling). */
  botWorkerEnv?: Record<string, string>;
  /** 'product' (workflows/) or an experiment folder under bench/experiments/. @defaultValue 'product' */
  workflows?: string;
  /** In-process bot worker only. @defaultValue 'always' */
  tracePolicy?: TracePolicy;
}

async function bundleFor(workflows = 'product') {
  if (workflows === 'product') return bundleWorkflows();
  const workflowsPath = fileURLToPath(new URL(`../experiments/${workflows}/index.ts`, import.meta.url));
  return bundleWorkflowCode({
    workflowsPath,
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
  });
}

/** Numeric flag value → experiment name (--workflows 1 = bench/experiments/proposed). */
export const workflowVariants = ['product', 'proposed'];

export interface BenchEngine {
  config: AvlastaConfig;
  stores: Stores;
  client: Client;
  registry: BotRegistry;
  dataDir: string;
  prefix: string;
  botWorkerProcess?: ChildProcess;
  /** Bot worker stdout lines (JSON logs) of a spawned worker. */
  onBotWorkerLine(fn: (line: string) => void): void;
  /** Starts a run over JSON rows and waits for its summary. */
  run(
    automationId: string,
    rows: Record<string, unknown>[],
    runKey?: string,
  ): Promise<{ workflowId: string; summary: RunSummary; ms: number }>;
  startRun(automationId: string, rows: Record<string, unknown>[], runKey?: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startBenchEngine(opts: BenchEngineOptions): Promise<BenchEngine> {
  installQuietRuntime();
  const dataDir = mkdtempSync(join(tmpdir(), 'avlasta-bench-'));
  const id = randomUUID().slice(0, 8);
  const prefix = `bench-${id}`;
  const configFile = join(dataDir, 'avlasta.config.yaml');
  writeFileSync(configFile, stringify({ systems: opts.systems, bots: [benchBotModule], ...opts.configExtra }));
  const env: Record<string, string> = {
    AVLASTA_CONFIG: configFile,
    AVLASTA_DATA_DIR: dataDir,
    AVLASTA_TASK_QUEUE: `bench-${id}`,
    AVLASTA_QUEUE_PREFIX: prefix,
    AVLASTA_PAYLOAD_KEY: randomBytes(32).toString('base64'),
  };
  const config = loadConfig({ ...process.env, ...env });
  const stores = await openStores({ dataDir });
  const registry = await loadBots(config);
  const queues = createBotQueues(config, { prefix });
  const worker = await startTemporalWorker({
    config,
    stores,
    registry,
    queues,
    workflowBundle: await bundleFor(opts.workflows),
  });
  let inProcess: RunningBotWorker | undefined;
  let child: ChildProcess | undefined;
  const lineListeners: ((line: string) => void)[] = [];
  const mode = opts.botWorker ?? 'in-process';
  if (mode === 'in-process') {
    inProcess = await startBotWorker({
      config,
      registry,
      stores,
      prefix,
      heartbeatIntervalMs: opts.heartbeatIntervalMs,
      tracePolicy: opts.tracePolicy,
      logger: pino({ level: 'warn' }),
    });
  } else if (mode === 'process') {
    child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'workers/bot-worker.ts')], {
      cwd: repoRoot,
      env: {
        ...process.env,
        ...env,
        ...opts.botWorkerEnv,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const l of lines) for (const fn of lineListeners) fn(l);
    });
    await new Promise<void>((resolve, reject) => {
      const onLine = (l: string) => l.includes('bot worker started') && resolve();
      lineListeners.push(onLine);
      child!.once('exit', (code) => reject(new Error(`bench: the bot worker exited with ${code} before it started`)));
    });
  }
  const client = await connectClient(config);
  const deps = { client, config, registry, automationsDir };

  async function start(
    automationId: string,
    rows: Record<string, unknown>[],
    runKey = randomUUID().slice(0, 8),
  ): Promise<string> {
    const input = { fileName: 'items.json', data: Buffer.from(JSON.stringify(rows)) };
    return (await startRun(deps, { automationId, runKey, initiator: 'bench-initiator', input })).workflowId;
  }

  return {
    config,
    stores,
    client,
    registry,
    dataDir,
    prefix,
    botWorkerProcess: child,
    onBotWorkerLine: (fn) => lineListeners.push(fn),
    startRun: start,
    async run(automationId, rows, runKey) {
      const t0 = performance.now();
      const workflowId = await start(automationId, rows, runKey);
      const summary = (await client.workflow.getHandle(workflowId).result()) as RunSummary;
      return { workflowId, summary, ms: performance.now() - t0 };
    },
    async stop() {
      if (child && child.exitCode === null) {
        const exited = new Promise((r) => child!.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await inProcess?.close();
      await worker.shutdown();
      // Leave nothing in Redis: completed jobs are otherwise kept for a day.
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
