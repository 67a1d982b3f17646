/**
 * The real engine for one benchmark (test/support/engine-harness.ts with the bench bots and the
 * bot worker's settings as deployed), its bot worker either in this process or as a separate
 * `workers/bot-worker.ts` process, and runs over JSON rows of the bench automations.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startRun } from '../../engine/runs.js';
import type { RunSummary } from '../../workflows/types.js';
import { startEngine, type EngineHarness } from '../../test/support/engine-harness.js';
import { fillFormBot, noopBot, stampBot } from '../fixtures/bench-bots.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const automationsDir = fileURLToPath(new URL('../fixtures/automations/', import.meta.url));
const benchBotModule = fileURLToPath(new URL('../fixtures/bench-bots.ts', import.meta.url));

export interface BenchEngineOptions {
  systems: Record<string, unknown>;
  configExtra?: Record<string, unknown>;
  /** Where the bot worker runs. @defaultValue 'in-process' */
  botWorker?: 'in-process' | 'process';
  /** 'product' (workflows/) or an experiment folder under bench/experiments/. @defaultValue 'product' */
  workflows?: string;
}

async function experimentBundle(workflows: string) {
  const workflowsPath = fileURLToPath(new URL(`../experiments/${workflows}/index.ts`, import.meta.url));
  return bundleWorkflowCode({
    workflowsPath,
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
  });
}

/** Numeric flag value → experiment name (--workflows 1 = bench/experiments/proposed). */
export const workflowVariants = ['product', 'proposed'];

export interface BenchEngine extends EngineHarness {
  botWorkerProcess?: ChildProcess;
  /** Starts a run over JSON rows and waits for its summary. */
  run(
    automationId: string,
    rows: Record<string, unknown>[],
    runKey?: string,
  ): Promise<{ workflowId: string; summary: RunSummary; ms: number }>;
  startRun(automationId: string, rows: Record<string, unknown>[], runKey?: string): Promise<string>;
}

export async function startBenchEngine(opts: BenchEngineOptions): Promise<BenchEngine> {
  const separate = opts.botWorker === 'process';
  const engine = await startEngine({
    bots: [fillFormBot, noopBot, stampBot],
    systems: opts.systems,
    // A spawned bot worker finds the bench bots through the configuration, like any bot worker.
    configExtra: { bots: [benchBotModule], ...opts.configExtra },
    label: 'bench',
    botWorker: separate ? 'none' : 'product',
    workflowBundle: opts.workflows && opts.workflows !== 'product' ? await experimentBundle(opts.workflows) : undefined,
  });
  const child = separate ? await spawnBotWorker(engine.env) : undefined;
  const deps = { client: engine.client, config: engine.config, registry: engine.registry, automationsDir };

  async function start(
    automationId: string,
    rows: Record<string, unknown>[],
    runKey = randomUUID().slice(0, 8),
  ): Promise<string> {
    const input = { fileName: 'items.json', data: Buffer.from(JSON.stringify(rows)) };
    return (await startRun(deps, { automationId, runKey, initiator: 'bench-initiator', input })).workflowId;
  }

  return {
    ...engine,
    botWorkerProcess: child,
    startRun: start,
    async run(automationId, rows, runKey) {
      const t0 = performance.now();
      const workflowId = await start(automationId, rows, runKey);
      const summary = (await engine.client.workflow.getHandle(workflowId).result()) as RunSummary;
      return { workflowId, summary, ms: performance.now() - t0 };
    },
    async stop() {
      if (child && child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await engine.stop();
    },
  };
}

/** Starts workers/bot-worker.ts with only the bench bots and resolves once it serves. */
async function spawnBotWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'workers/bot-worker.ts')], {
    cwd: repoRoot,
    env: {
      ...process.env,
      ...env,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let buffered = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      if (lines.some((l) => l.includes('bot worker started'))) resolve();
    });
    child.once('exit', (code) => reject(new Error(`bench: the bot worker exited with ${code} before it started`)));
  });
  return child;
}
