/**
 * /metrics after a real small run (Temporal, Redis, Chromium, SQLite): the server's and a worker's
 * exposition text passes `promtool check metrics` and holds the series docs/MONITORING.md lists,
 * with the values the run must have produced: items by outcome, bot step durations, queue waits,
 * rate-limit waits, browser launches and memory, audit append latency, approvals waiting, queue
 * depth, and the Temporal SDK's own worker series.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotQueues, type BotQueues } from '../../bot-runtime/queues.js';
import { startRun } from '../../engine/runs.js';
import { startMetricsEndpoint, type MetricsEndpoint } from '../../metrics/endpoint.js';
import { temporalSdkMetrics } from '../../metrics/temporal-sdk.js';
import { fileUserDirectory } from '../../server/auth/users.js';
import { buildServer } from '../../server/build-server.js';
import { engineRunService } from '../../server/run-service.js';
import { installQuietRuntime } from '../../temporal/worker.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';
import { freePort } from '../support/temporal-dev-server.js';
import { readPage } from './fixtures/browser-bots.js';
import { parseExposition, promtool, sample } from './exposition.js';

const automationsDir = fileURLToPath(new URL('./fixtures/automations', import.meta.url));
let engine: EngineHarness;
let queues: BotQueues;
let app: FastifyInstance;
let worker: MetricsEndpoint;
let serverText: string;
let workerText: string;

beforeAll(async () => {
  const sdkPort = await freePort();
  // Before the harness installs its quiet runtime: Runtime.install runs once per process.
  installQuietRuntime({ prometheusAddress: `127.0.0.1:${sdkPort}` });
  engine = await startEngine({
    bots: [readPage],
    systems: { mon: { baseUrl: 'http://127.0.0.1:9', concurrency: 2, rateLimit: { max: 4, perMs: 1000 } } },
    configExtra: { metrics: { temporalSdkPort: sdkPort } },
  });
  queues = createBotQueues(engine.config, { prefix: engine.prefix });
  app = await buildServer({
    config: engine.config,
    stores: engine.stores,
    temporal: engine.client,
    runs: engineRunService({ client: engine.client, config: engine.config, registry: engine.registry, automationsDir }),
    users: fileUserDirectory(join(engine.dataDir, 'users.yaml')),
    sessionSecret: 'test-secret-test-secret-test-secret-0123',
    queues: new Map([['mon', queues.queueFor('mon')]]),
  });
  worker = await startMetricsEndpoint({
    host: '127.0.0.1',
    port: 0,
    extraText: () => temporalSdkMetrics(engine.config),
  });

  const csv = 'ref,amount,mode\nA-1,500,ok\nA-2,5000,ok\nA-3,700,refuse\nA-4,300,ok\n';
  const { workflowId } = await startRun(
    { client: engine.client, config: engine.config, registry: engine.registry, automationsDir },
    {
      automationId: 'monitoring-small',
      runKey: randomUUID(),
      initiator: 'olle',
      input: { fileName: 'small.csv', data: Buffer.from(csv) },
    },
  );
  // Three items end (two done, one failed); the fourth waits for a person.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const entries = await engine.stores.audit.query({ runId: workflowId });
    const ended = entries.filter((e) => e.event === 'item.completed' || e.event === 'item.failed').length;
    const waiting = entries.some((e) => e.event === 'approval.requested');
    if (ended === 3 && waiting) break;
    if (Date.now() > deadline) throw new Error(`the run did not get there: ${entries.map((e) => e.event).join(', ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const res = await app.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  serverText = res.body;
  workerText = await (await fetch(worker.url)).text();
}, 120_000);

afterAll(async () => {
  await worker?.close();
  await app?.close();
  await queues?.close();
  await engine?.stop();
});

describe('metrics after a small run', () => {
  it('pass promtool check metrics, server and worker alike', async () => {
    for (const text of [serverText, workerText]) {
      const { code, out } = await promtool(['check', 'metrics'], text);
      // Exit 3 means lint findings only (1 would be unparsable text). prom-client's default gauges
      // nodejs_active_{handles,requests,resources}_total carry a counter's suffix: known, and
      // the only findings accepted.
      expect([0, 3]).toContain(code);
      const findings = out
        .split('\n')
        .filter((l) => l && !/^nodejs_active_(handles|requests|resources)_total /.test(l));
      expect(findings).toEqual([]);
    }
  });

  it('count the items by automation and outcome, and time the bot steps and queue waits', () => {
    const m = parseExposition(workerText);
    expect(sample(m, 'avlasta_items_total', { automation: 'monitoring-small', outcome: 'done' })).toBe(2);
    expect(sample(m, 'avlasta_items_total', { automation: 'monitoring-small', outcome: 'failed' })).toBe(1);
    expect(sample(m, 'avlasta_bot_step_duration_seconds_count', { bot: 'mon.read-page', outcome: 'completed' })).toBe(
      3,
    );
    expect(sample(m, 'avlasta_bot_step_duration_seconds_count', { bot: 'mon.read-page', outcome: 'failed' })).toBe(1);
    expect(
      sample(m, 'avlasta_bot_step_duration_seconds_sum', { bot: 'mon.read-page', outcome: 'completed' }),
    ).toBeGreaterThan(0);
    expect(sample(m, 'avlasta_queue_wait_seconds_count', { system: 'mon' })).toBe(4);
    // Four jobs at once against 4 per second, spread out: the limiter held the worker back.
    expect(sample(m, 'avlasta_rate_limit_wait_seconds_total', { system: 'mon' })).toBeGreaterThan(0);
  });

  it('report the browser and the audit appends', () => {
    const m = parseExposition(workerText);
    expect(sample(m, 'avlasta_browser_launches_total', {})).toBeGreaterThanOrEqual(1);
    expect(sample(m, 'avlasta_browser_disconnects_total', {})).toBe(0);
    expect(sample(m, 'avlasta_browser_memory_bytes', {})).toBeGreaterThan(10e6);
    expect(sample(m, 'avlasta_audit_append_seconds_count', {})).toBeGreaterThan(5);
    expect(sample(m, 'process_resident_memory_bytes', {})).toBeGreaterThan(0);
  });

  it("include the Temporal SDK's own worker series, those the Grafana dashboard shows among them", () => {
    const names = [...parseExposition(workerText).keys()];
    const dashboard = readFileSync(
      fileURLToPath(new URL('../../deploy/grafana/avlasta-dashboard.json', import.meta.url)),
      'utf8',
    );
    const shown = [...new Set([...dashboard.matchAll(/\btemporal_[a-z_]+\b/g)].map((m) => m[0]))];
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.filter((n) => !names.includes(n))).toEqual([]);
    expect(names.filter((n) => n.startsWith('temporal_')).length).toBeGreaterThan(5);
    expect(names).toContain('temporal_workflow_completed_total');
    expect(names.some((n) => n.startsWith('temporal_activity_execution_latency_seconds'))).toBe(true);
  });

  it('show on the server the approvals waiting and the queue depth', () => {
    const m = parseExposition(serverText);
    expect(sample(m, 'avlasta_approvals_open', { automation: 'monitoring-small', status: 'pending' })).toBe(1);
    expect(sample(m, 'avlasta_approvals_overdue', { automation: 'monitoring-small' })).toBe(0);
    expect(sample(m, 'avlasta_approvals_oldest_age_seconds', { automation: 'monitoring-small' })).toBeGreaterThan(0);
    expect(sample(m, 'avlasta_queue_jobs', { system: 'mon', state: 'waiting' })).toBe(0);
    expect(sample(m, 'avlasta_queue_jobs', { system: 'mon', state: 'failed' })).toBe(1);
    expect(sample(m, 'avlasta_queue_oldest_waiting_seconds', { system: 'mon' })).toBe(0);
  });

  it('refuse /metrics without the token when one is configured', async () => {
    const guarded = await startMetricsEndpoint({ host: '127.0.0.1', port: 0, token: 'geheim-token-123' });
    try {
      expect((await fetch(guarded.url)).status).toBe(401);
      expect((await fetch(guarded.url, { headers: { authorization: 'Bearer fel' } })).status).toBe(401);
      const ok = await fetch(guarded.url, { headers: { authorization: 'Bearer geheim-token-123' } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('avlasta_items_total');
    } finally {
      await guarded.close();
    }
  });
});
