/**
 * Builds the Temporal worker that runs Avlasta's workflows and activities. Used by
 * workers/temporal-worker.ts, `npm start` and the tests (so they run the real thing).
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  bundleWorkflowCode,
  type WorkflowBundle,
} from '@temporalio/worker';
import type { AvlastaConfig } from '../config.js';
import { createEngineActivities } from '../activities/engine-activities.js';
import { createBotActivities } from '../activities/run-bot.js';
import type { BotQueues } from '../bot-runtime/queues.js';
import type { BotRegistry } from '../bots/registry.js';
import type { Stores } from '../store/types.js';
import { dataConverterFor, temporalTls } from './connect.js';
import { loadPayloadKeys } from './payload-key.js';

/** The workflows in the form this file runs in: workflows/index.ts from sources, dist/workflows/index.js compiled. */
export const workflowsPath = fileURLToPath(new URL(`../workflows/index${extname(import.meta.url)}`, import.meta.url));

export interface TemporalWorkerOptions {
  config: AvlastaConfig;
  stores: Stores;
  registry: BotRegistry;
  queues: BotQueues;
  /** A pre-built bundle (bundleWorkflows()) saves the webpack step when several workers start. */
  workflowBundle?: WorkflowBundle;
  /** Defaults to config.temporal.taskQueue. */
  taskQueue?: string;
}

export interface RunningWorker {
  worker: Worker;
  /** Resolves when the worker has shut down. */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

let runtimeInstalled: { prometheusAddress?: string } | undefined;

export interface RuntimeOptions {
  /** The SDK's own log lines at this level and above. @defaultValue 'INFO' */
  logLevel?: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** host:port where the SDK's Prometheus exporter serves its worker series (metrics/temporal-sdk.ts). */
  prometheusAddress?: string;
}

/**
 * Installs the Temporal runtime of this process. Runtime.install may run only once per process:
 * later calls do nothing, and say so when they asked for an exporter the first one did not start.
 */
export function installRuntime(opts: RuntimeOptions = {}): void {
  if (runtimeInstalled) {
    if (opts.prometheusAddress && opts.prometheusAddress !== runtimeInstalled.prometheusAddress)
      console.warn(`Temporal runtime already installed: its metrics are not served on ${opts.prometheusAddress}`);
    return;
  }
  Runtime.install({
    logger: new DefaultLogger(opts.logLevel ?? 'INFO'),
    telemetryOptions: opts.prometheusAddress
      ? {
          metrics: {
            // Prometheus conventions, so promtool and dashboards read them without surprises.
            prometheus: {
              bindAddress: opts.prometheusAddress,
              countersTotalSuffix: true,
              unitSuffix: true,
              useSecondsForDurations: true,
            },
          },
        }
      : undefined,
  });
  runtimeInstalled = { prometheusAddress: opts.prometheusAddress };
}

/** Keeps the Temporal worker's own INFO lines out of test and benchmark output. */
export function installQuietRuntime(opts: Omit<RuntimeOptions, 'logLevel'> = {}): void {
  installRuntime({ ...opts, logLevel: 'WARN' });
}

export async function bundleWorkflows(): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger });
}

export async function startTemporalWorker(opts: TemporalWorkerOptions): Promise<RunningWorker> {
  const { config } = opts;
  const connection = await NativeConnection.connect({ address: config.temporal.address, tls: temporalTls(config) });
  const payloadKey = loadPayloadKeys(config);
  const activities = {
    ...createEngineActivities({ config, stores: opts.stores, payloadKey }),
    ...createBotActivities({ config, registry: opts.registry, queues: opts.queues, stores: opts.stores }),
  };
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: opts.taskQueue ?? config.temporal.taskQueue,
    workflowBundle: opts.workflowBundle ?? (await bundleWorkflows()),
    activities,
    dataConverter: dataConverterFor(config),
    maxConcurrentActivityTaskExecutions: 200,
    maxConcurrentWorkflowTaskExecutions: 100,
  });
  const done = worker.run().finally(() => connection.close());
  return {
    worker,
    done,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}

const quietBundlerLogger = {
  trace() {},
  debug() {},
  info() {},
  warn(message: string, meta?: unknown) {
    console.warn(message, meta ?? '');
  },
  error(message: string, meta?: unknown) {
    console.error(message, meta ?? '');
  },
  log() {},
};
