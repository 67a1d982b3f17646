/**
 * Every series an Avlasta process records as things happen, named in one place so a reader finds
 * them (and docs/MONITORING.md, the alert rules and the Grafana dashboard use these names).
 * Series read from the store or Redis when scraped are in server-series.ts. Labels are bounded:
 * automation ids, bot ids and systems come from definitions and configuration, never from items.
 */
import { Counter, Gauge, Histogram } from 'prom-client';
import { chromiumMemory } from './proc-mem.js';
import { processRegistry } from './registry.js';

const registers = [processRegistry];

export const itemsFinished = new Counter({
  name: 'avlasta_items_total',
  help: 'Items that reached their end, by automation and outcome (done, rejected, failed).',
  labelNames: ['automation', 'outcome'] as const,
  registers,
});

export const itemsFlagged = new Counter({
  name: 'avlasta_items_flagged_total',
  help: 'Finished items that an approval step stopped for a person, by automation.',
  labelNames: ['automation'] as const,
  registers,
});

export const botStepDuration = new Histogram({
  name: 'avlasta_bot_step_duration_seconds',
  help: 'Time a bot worker spent on one bot job, from pick-up to the report to Temporal, by bot and outcome.',
  labelNames: ['bot', 'outcome'] as const,
  buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
  registers,
});

export const queueWait = new Histogram({
  name: 'avlasta_queue_wait_seconds',
  help: 'Time a bot job waited in its queue before a bot worker picked it up, by system.',
  labelNames: ['system'] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
  registers,
});

export const rateLimitWait = new Counter({
  name: 'avlasta_rate_limit_wait_seconds_total',
  help: "Time a bot worker's consumer of a system's queue held back for the system's rate limit.",
  labelNames: ['system'] as const,
  registers,
});

export const browserLaunches = new Counter({
  name: 'avlasta_browser_launches_total',
  help: 'Chromium launches by the bot worker (the first, recycles and relaunches after a crash).',
  registers,
});

export const browserDisconnects = new Counter({
  name: 'avlasta_browser_disconnects_total',
  help: 'Chromium browsers that went away unasked (crashed or killed); the next job relaunches.',
  registers,
});

export const browserMemory = new Gauge({
  name: 'avlasta_browser_memory_bytes',
  help: "Proportional set size (PSS) of this process's Chromium processes.",
  registers,
  collect() {
    this.set(chromiumMemory(process.pid).pssBytes);
  },
});

export const auditAppend = new Histogram({
  name: 'avlasta_audit_append_seconds',
  help: 'Time from an audit append to its commit (group commit included).',
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers,
});

export const notificationsSent = new Counter({
  name: 'avlasta_notifications_sent_total',
  help: 'Notices sent, by kind (digest, reminder, escalation, failure-rate) and channel (mail, webhook).',
  labelNames: ['kind', 'channel'] as const,
  registers,
});

export const notificationFailures = new Counter({
  name: 'avlasta_notification_failures_total',
  help: 'Notices that could not be sent (the mail server or webhook refused or did not answer), by channel.',
  labelNames: ['channel'] as const,
  registers,
});

export const codecRequests = new Counter({
  name: 'avlasta_codec_requests_total',
  help: 'Requests to the codec server for the Temporal UI, by operation (decode, encode) and result.',
  labelNames: ['operation', 'result'] as const,
  registers,
});
