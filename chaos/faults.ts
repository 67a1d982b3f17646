/**
 * The faults the chaos suite injects, and its seeded schedule. Each fault is injected, held and
 * healed by one function here, and leaves a timeline entry (when, what, on which process), so a
 * failed check can show what happened around the items it names.
 */
import type { Queue } from 'bullmq';
import { seededRandom, type Random } from '../demo/common/index.js';
import { botHeartbeatTimeoutMs } from '../temporal/bot-step-timing.js';
import type { WorkerProcess } from './processes.js';
import type { ChaosDatabase, OwnRedis, OwnTemporal } from './services.js';
import type { ChaosTarget } from './target.js';
import type { Toxiproxy } from './toxiproxy.js';

export const faultKinds = [
  'kill-bot-worker',
  'kill-temporal-worker',
  'restart-temporal',
  'flush-redis',
  'restart-redis',
  'cut-temporal-link',
  'cut-redis-link',
  'slow-target',
  'drop-postgres',
] as const;
export type FaultKind = (typeof faultKinds)[number];

export interface FaultEvent {
  kind: FaultKind;
  startedAt: number;
  endedAt: number;
  /** What was done, e.g. "bot-worker-2 (pid 1234) killed with 1 job active; restarted after 3.1 s". */
  note: string;
}

export interface PlannedFault {
  kind: FaultKind;
  /** Quiet time before it. */
  gapMs: number;
  /** Which bot worker a per-worker fault hits. */
  worker: number;
  /** How long a killed process stays down. */
  pauseMs: number;
}

export interface FaultTiming {
  /** A link stays cut this long: longer than the heartbeat timeout. */
  cutMs: number;
  /** The target stays slow this long... */
  slowForMs: number;
  /** ...answering each request this much later: longer than the step's timeout. */
  slowdownMs: number;
  /** Quiet time between faults, drawn from [min, max]. */
  gapMs: [number, number];
}

export const fullTiming: FaultTiming = {
  cutMs: botHeartbeatTimeoutMs + 8_000,
  slowForMs: 60_000,
  slowdownMs: 125_000,
  gapMs: [3_000, 12_000],
};

/** The CI size: every fault as in the full run, shorter where the fault allows it. */
export const shortTiming: FaultTiming = { ...fullTiming, slowForMs: 15_000, gapMs: [2_000, 5_000] };

/** `perKind` of every kind in `kinds`, in an order and with gaps drawn from the seed. */
export function planFaults(seed: number, perKind: number, kinds: readonly FaultKind[], timing: FaultTiming) {
  const random = seededRandom(seed ^ 0x5eed);
  const plan: PlannedFault[] = [];
  for (let n = 0; n < perKind; n++) {
    for (const kind of shuffled(kinds, random)) {
      plan.push({
        kind,
        gapMs: Math.round(timing.gapMs[0] + random() * (timing.gapMs[1] - timing.gapMs[0])),
        worker: Math.floor(random() * 2),
        pauseMs: Math.round(2_000 + random() * 4_000),
      });
    }
  }
  return plan;
}

/** How long the plan takes to inject, roughly: the run is paced to outlast it. */
export function planDurationMs(plan: PlannedFault[], timing: FaultTiming): number {
  const held: Record<FaultKind, number> = {
    'kill-bot-worker': 5_000,
    'kill-temporal-worker': 5_000,
    'restart-temporal': 10_000,
    'flush-redis': 0,
    'restart-redis': 2_000,
    'cut-temporal-link': timing.cutMs,
    'cut-redis-link': timing.cutMs,
    'slow-target': timing.slowForMs,
    'drop-postgres': 0,
  };
  return plan.reduce((sum, f) => sum + f.gapMs + f.pauseMs + held[f.kind], 0);
}

function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export interface FaultTargets {
  temporalWorker: WorkerProcess;
  botWorkers: WorkerProcess[];
  /** Proxy names of each bot worker's links. */
  links: { temporal: string[]; redis: string[] };
  proxy: Toxiproxy;
  redis: OwnRedis;
  temporal: OwnTemporal;
  db: ChaosDatabase;
  target: ChaosTarget;
  /** The bot queue, to find a worker in the middle of a job. */
  queue: Queue;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function injectFault(f: PlannedFault, t: FaultTargets, timing: FaultTiming): Promise<FaultEvent> {
  const startedAt = Date.now();
  const done = (note: string): FaultEvent => ({ kind: f.kind, startedAt, endedAt: Date.now(), note });
  switch (f.kind) {
    case 'kill-bot-worker': {
      const { worker, active } = await workerMidJob(t, f.worker);
      const pid = worker.pid;
      await worker.kill();
      await sleep(f.pauseMs);
      worker.start();
      return done(
        `${worker.name} (pid ${pid}) killed -9 with ${active} job(s) active; restarted after ${seconds(f.pauseMs)}`,
      );
    }
    case 'kill-temporal-worker': {
      const pid = t.temporalWorker.pid;
      await t.temporalWorker.kill();
      await sleep(f.pauseMs);
      t.temporalWorker.start();
      return done(`temporal-worker (pid ${pid}) killed -9; restarted after ${seconds(f.pauseMs)}`);
    }
    case 'restart-temporal': {
      await t.temporal.restart();
      return done(`Temporal dev server ${t.temporal.address} stopped and started again`);
    }
    case 'flush-redis':
      await t.redis.flushAll();
      return done(`FLUSHALL on ${t.redis.url}`);
    case 'restart-redis':
      await t.redis.restart();
      return done(`redis-server ${t.redis.url} killed and started again, empty`);
    case 'cut-temporal-link':
    case 'cut-redis-link': {
      const names = f.kind === 'cut-temporal-link' ? t.links.temporal : t.links.redis;
      const name = names[f.worker];
      await t.proxy.cut(name);
      await sleep(timing.cutMs);
      await t.proxy.restore(name);
      return done(`link ${name} cut for ${seconds(timing.cutMs)}, then restored`);
    }
    case 'slow-target':
      t.target.setSlowdown(timing.slowdownMs);
      await sleep(timing.slowForMs);
      t.target.setSlowdown(0);
      return done(`target answered ${seconds(timing.slowdownMs)} late for ${seconds(timing.slowForMs)}`);
    case 'drop-postgres': {
      const ended = await t.db.dropConnections();
      return done(`pg_terminate_backend on ${ended} connection(s) of the audit store's database`);
    }
  }
}

/** The bot worker in the middle of a job (the planned one if both are), waiting up to 20 s for one. */
async function workerMidJob(t: FaultTargets, preferred: number): Promise<{ worker: WorkerProcess; active: number }> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const jobs = await t.queue.getJobs(['active']).catch(() => []);
    const busy = t.botWorkers
      .map((worker) => ({ worker, active: jobs.filter((j) => j.processedBy?.includes(`-${worker.pid}-`)).length }))
      .filter((w) => w.active > 0);
    const pick = busy.find((w) => w.worker === t.botWorkers[preferred]) ?? busy[0];
    if (pick) return pick;
    if (Date.now() > deadline) return { worker: t.botWorkers[preferred], active: 0 };
    await sleep(250);
  }
}
