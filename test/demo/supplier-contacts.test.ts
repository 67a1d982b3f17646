/**
 * The demo's automation for a system without a reference field: supplier-contacts over its sample
 * input (8 change requests, two contacts sent in twice) through the real engine, against
 * Ekonomisystemet's contact page. Every item is done and each contact is there once.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addContact } from '../../bots/ekonomi/add-contact.js';
import { startEkonomi, type RunningEkonomi } from '../../demo/ekonomi/server.js';
import { startRun } from '../../engine/runs.js';
import { packagePath } from '../../package-root.js';
import type { RunOptions, RunSummary } from '../../workflows/types.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'avlasta-contacts-'));
const credentials = { username: 'robot', password: 'hemligt-losen' };
const sample = packagePath('demo', 'data', 'supplier-contacts.csv');
let ekonomi: RunningEkonomi;
let engine: EngineHarness;

beforeAll(async () => {
  ekonomi = await startEkonomi({ port: 0, dbFile: join(dir, 'ekonomi.db'), ...credentials, trouble: false });
  engine = await startEngine({
    bots: [addContact],
    systems: {
      ekonomi: {
        baseUrl: ekonomi.url,
        concurrency: 4,
        secrets: { username: 'env:SC_TEST_USER', password: 'env:SC_TEST_PASSWORD' },
      },
    },
    env: { SC_TEST_USER: credentials.username, SC_TEST_PASSWORD: credentials.password },
    label: 'contacts',
  });
});

afterAll(async () => {
  await engine?.stop();
  await ekonomi?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the sample file to its end, as a person starting it from the demo's automations. */
async function runSample(options?: RunOptions) {
  const deps = {
    client: engine.client,
    config: engine.config,
    registry: engine.registry,
    automationsDir: packagePath('automations'),
  };
  const { workflowId } = await startRun(deps, {
    automationId: 'supplier-contacts',
    runKey: randomUUID(),
    initiator: 'alice',
    input: { fileName: 'supplier-contacts.csv', data: readFileSync(sample) },
    options,
  });
  const summary = (await engine.client.workflow.getHandle(workflowId).result()) as RunSummary;
  return { workflowId, summary };
}

/** The sample's rows, split into their fields. */
const sampleRows = () =>
  readFileSync(sample, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(';'));

it('adds no contact in a trial, keeping a screenshot of each filled form', async () => {
  const { workflowId, summary } = await runSample({ trial: true, sample: 3 });
  expect(summary.counts).toMatchObject({ loaded: 3, done: 3, unsampled: 5 });
  for (const [, orgnr] of sampleRows()) expect(ekonomi.db.contactsOf(orgnr), orgnr).toEqual([]);
  const shots = (await engine.stores.audit.query({ runId: workflowId }))
    .filter((e) => e.event === 'step.completed')
    .flatMap((e) => e.artifacts.filter((a) => a.includes('trial-filled-form')));
  expect(shots).toHaveLength(3);
}, 120_000);

it('adds each contact once, however many requests name it', async () => {
  const { summary } = await runSample();
  expect(summary.counts).toMatchObject({ loaded: 8, done: 8, failed: 0, invalid: 0 });
  const contacts = new Set(sampleRows().map(([, orgnr, , email]) => `${orgnr} ${email.toLowerCase()}`));
  expect(contacts.size).toBe(6);
  for (const contact of contacts) {
    const [orgnr, email] = contact.split(' ');
    expect(ekonomi.db.countContacts(orgnr, email), contact).toBe(1);
  }
}, 120_000);
