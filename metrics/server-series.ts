/**
 * Series the server reads when it is scraped: approvals waiting (from the inbox store) and the
 * bot queues (from Redis). The server holds them because it is the one process that is always up
 * and sees the whole system; every bot worker reading the same queues would only repeat them.
 */
import type { Queue } from 'bullmq';
import { Gauge, Registry } from 'prom-client';
import type { OpenApprovalStats, Stores } from '../store/types.js';

export interface ServerSeriesDeps {
  stores: Stores;
  /** system → its bot queue. */
  queues: Map<string, Queue>;
  now: () => number;
}

const queueStates = ['waiting', 'active', 'delayed', 'failed'] as const;

export function serverRegistry(deps: ServerSeriesDeps): Registry {
  const registry = new Registry();
  const registers = [registry];
  // One store read serves the three approval series of a scrape.
  let cached: { at: number; rows: Promise<OpenApprovalStats[]> } | undefined;
  const openApprovals = () => {
    const now = deps.now();
    if (!cached || now - cached.at > 1000)
      cached = { at: now, rows: deps.stores.approvals.openStats(new Date(now).toISOString()) };
    return cached.rows;
  };

  new Gauge({
    name: 'avlasta_approvals_open',
    help: 'Approvals waiting for a person, by automation and status (pending, escalated).',
    labelNames: ['automation', 'status'] as const,
    registers,
    async collect() {
      this.reset();
      for (const r of await openApprovals()) this.set({ automation: r.automationId, status: r.status }, r.count);
    },
  });
  new Gauge({
    name: 'avlasta_approvals_oldest_age_seconds',
    help: 'How long the longest-waiting open approval of each automation has waited.',
    labelNames: ['automation'] as const,
    registers,
    async collect() {
      this.reset();
      const now = deps.now();
      const oldest = new Map<string, number>();
      for (const r of await openApprovals()) {
        const age = (now - Date.parse(r.oldestRequestedAt)) / 1000;
        oldest.set(r.automationId, Math.max(age, oldest.get(r.automationId) ?? 0));
      }
      for (const [automation, age] of oldest) this.set({ automation }, age);
    },
  });
  new Gauge({
    name: 'avlasta_approvals_overdue',
    help: 'Open approvals past their due time, by automation.',
    labelNames: ['automation'] as const,
    registers,
    async collect() {
      this.reset();
      const overdue = new Map<string, number>();
      for (const r of await openApprovals())
        overdue.set(r.automationId, (overdue.get(r.automationId) ?? 0) + r.overdue);
      for (const [automation, n] of overdue) this.set({ automation }, n);
    },
  });
  new Gauge({
    name: 'avlasta_queue_jobs',
    help: 'Bot jobs in each system queue, by state (waiting, active, delayed, failed).',
    labelNames: ['system', 'state'] as const,
    registers,
    async collect() {
      this.reset();
      for (const [system, queue] of deps.queues) {
        const counts = await queue.getJobCounts(...queueStates);
        for (const state of queueStates) this.set({ system, state }, counts[state] ?? 0);
      }
    },
  });
  new Gauge({
    name: 'avlasta_queue_oldest_waiting_seconds',
    help: 'Age of the oldest job waiting in each system queue (0 when none waits).',
    labelNames: ['system'] as const,
    registers,
    async collect() {
      this.reset();
      for (const [system, queue] of deps.queues) {
        const [oldest] = await queue.getJobs(['waiting'], 0, 0, true);
        this.set({ system }, oldest ? Math.max(0, deps.now() - oldest.timestamp) / 1000 : 0);
      }
    },
  });
  return registry;
}
