/**
 * The bot runtime end to end on real components: Temporal dev server, Redis, Chromium, SQLite
 * and a local form app. A workflow calls runBot; the bot worker does the work and completes it.
 */
import { existsSync } from 'node:fs';
import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msUntilAllowed } from '../../calendar/allowed-hours.js';
import { createBotRuntimeLogger } from '../../bot-runtime/logger.js';
import { startBotWorker } from '../../bot-runtime/worker.js';
import { startBotHarness, type BotHarness } from '../fixtures/bot-harness.js';
import { startFormApp, type FormApp } from '../fixtures/form-app.js';
import { abortedKeys } from '../fixtures/test-bots.js';
import { closedNow } from '../support/closed-hours.js';

let app: FormApp;
let h: BotHarness;
let worker: { close(): Promise<void> };

beforeAll(async () => {
  app = await startFormApp();
  h = await startBotHarness({
    formapp: { baseUrl: app.baseUrl, concurrency: 2 },
    closedapp: { baseUrl: app.baseUrl, allowedHours: closedNow() },
  });
  const logger = createBotRuntimeLogger('warn');
  worker = await startBotWorker({
    config: h.config,
    registry: h.registry,
    stores: h.stores,
    prefix: h.prefix,
    heartbeatIntervalMs: 1000,
    logger,
  });
});

afterAll(async () => {
  await worker?.close();
  await h?.close();
  await app?.close();
});

/** A window that opens 2 hours after the current Stockholm hour: closed now, whatever the time. */
/** The ApplicationFailure a failed botStep workflow carries. */
async function failureOf(result: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await result.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const activityFailure = (err as WorkflowFailedError).cause;
  expect(activityFailure).toBeInstanceOf(ActivityFailure);
  const cause = (activityFailure as ActivityFailure).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

async function auditOf(itemKey: string) {
  return h.stores.audit.query({ itemKey });
}

describe('bot runtime', () => {
  it('fills and saves the form once and completes the step with the output', async () => {
    const run = await h.start({
      bot: 'formapp.register',
      input: { name: 'Anna Andersson 19811218-9876', amount: 120 },
      maximumAttempts: 3,
      heartbeatTimeout: '10s',
    });
    const output = (await run.result()) as { registrationNumber: string };
    expect(output.registrationNumber).toMatch(/^REG-\d{5}$/);
    expect(app.count(run.request.idempotencyKey)).toBe(1);
    const completed = (await auditOf(run.request.itemKey)).filter((e) => e.event === 'step.completed');
    expect(completed).toHaveLength(1);
    expect(completed[0].actor).toEqual({ kind: 'bot', id: 'formapp.register' });
    expect(completed[0].details.output).toEqual(output);
  });

  it('keeps a screenshot of a successful step only when an approval step follows it (the default policy)', async () => {
    expect(h.config.evidenceScreenshots).toBe('before-approval');
    const artifactsOf = async (approvalAhead: boolean) => {
      const run = await h.start({
        bot: 'formapp.register',
        input: { name: 'Cecilia', amount: 7 },
        maximumAttempts: 1,
        heartbeatTimeout: '10s',
        approvalAhead,
      });
      await run.result();
      const completed = (await auditOf(run.request.itemKey)).filter((e) => e.event === 'step.completed');
      expect(completed).toHaveLength(1);
      return completed[0].artifacts;
    };
    const before = await artifactsOf(true);
    expect(before).toHaveLength(1);
    expect(before[0]).toMatch(/register-attempt1-done\.png$/);
    expect(existsSync(before[0])).toBe(true);
    expect(await artifactsOf(false)).toEqual([]);
  });

  it('keeps the input sealed in Redis', async () => {
    const run = await h.start({
      bot: 'formapp.register',
      input: { name: 'Bo 19811218-9876', amount: 5 },
      maximumAttempts: 1,
      heartbeatTimeout: '10s',
    });
    await run.result();
    const job = (await h.queues.queueFor('formapp').getJobs(['completed'])).find(
      (j) => j.data.workflowId === run.workflowId,
    );
    expect(job).toBeDefined();
    expect(JSON.stringify(job!.data)).not.toContain('9876');
    expect(job!.id).toBe(`${run.workflowId}.${job!.data.activityId}.1`);
  });

  it('fails the step without retry on a BotBusinessError, with a screenshot in the audit entry', async () => {
    const run = await h.start({
      bot: 'formapp.register',
      input: { name: 'Cecilia', amount: -5 },
      maximumAttempts: 5,
      heartbeatTimeout: '10s',
    });
    const failure = await failureOf(run.result());
    expect(failure.type).toBe('BotBusinessError');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('Beloppet måste vara större än noll');
    const failed = (await auditOf(run.request.itemKey)).filter((e) => e.event === 'step.failed');
    expect(failed).toHaveLength(1); // not retried
    const screenshot = failed[0].artifacts.find((p) => p.endsWith('.png'));
    expect(screenshot).toBeDefined();
    expect(screenshot!.startsWith(`${h.config.dataDir}/artifacts/${run.request.runId}/${run.request.itemKey}/`)).toBe(
      true,
    );
    expect(existsSync(screenshot!)).toBe(true);
    // A first attempt records no trace under the default botTracing 'retries' (trace-policy.test.ts covers 'always').
    expect(failed[0].artifacts.some((p) => p.endsWith('-trace.zip'))).toBe(false);
    expect(app.count(run.request.idempotencyKey)).toBe(0);
  });

  it('retries a transient error and then succeeds, auditing the retry', async () => {
    const run = await h.start({
      bot: 'formapp.flaky-register',
      input: { name: 'David', amount: 10 },
      maximumAttempts: 3,
      heartbeatTimeout: '10s',
    });
    await expect(run.result()).resolves.toMatchObject({ registrationNumber: expect.stringMatching(/^REG-/) });
    const events = (await auditOf(run.request.itemKey)).map((e) => e.event);
    expect(events).toEqual(['step.started', 'step.failed', 'step.retried', 'step.started', 'step.completed']);
    expect(app.count(run.request.idempotencyKey)).toBe(1);
  });

  it('fails non-retryably naming the field when the output does not match the schema', async () => {
    const run = await h.start({
      bot: 'formapp.bad-output',
      input: { name: 'Erik', amount: 1 },
      maximumAttempts: 5,
      heartbeatTimeout: '10s',
    });
    const failure = await failureOf(run.result());
    expect(failure.type).toBe('BotOutputInvalid');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('output.registrationNumber: expected string');
  });

  it('refuses bad input before enqueuing, naming the field', async () => {
    const run = await h.start({
      bot: 'formapp.register',
      input: { name: 'Fia', amount: 'many' },
      maximumAttempts: 5,
      heartbeatTimeout: '10s',
    });
    const failure = await failureOf(run.result());
    expect(failure.type).toBe('BotInputInvalid');
    expect(failure.message).toContain('input.amount: expected number');
  });

  it('refuses an unknown bot', async () => {
    const run = await h.start({ bot: 'formapp.nope', input: {}, maximumAttempts: 5, heartbeatTimeout: '10s' });
    const failure = await failureOf(run.result());
    expect(failure.type).toBe('BotInputInvalid');
    expect(failure.message).toContain('unknown bot "formapp.nope"');
  });

  it('retries a job picked outside the allowed hours when the window opens, without failing it', async () => {
    const run = await h.start({
      bot: 'closedapp.echo',
      input: { n: 1 },
      maximumAttempts: 3,
      heartbeatTimeout: '10s',
      skipWait: true,
    });
    const handle = h.client.workflow.getHandle(run.workflowId);
    let pending: Awaited<ReturnType<typeof handle.describe>>['raw']['pendingActivities'] = [];
    await expect
      .poll(
        async () => {
          pending = (await handle.describe()).raw.pendingActivities ?? [];
          return pending[0]?.attempt;
        },
        { timeout: 15_000 },
      )
      .toBe(2);
    expect(pending[0].lastFailure?.applicationFailureInfo?.type).toBe('OutsideAllowedHours');
    expect(pending[0].lastFailure?.applicationFailureInfo?.nonRetryable).toBeFalsy();
    const nextAttemptMs = Number(pending[0].nextAttemptScheduleTime?.seconds) * 1000;
    const expected = Date.now() + msUntilAllowed(h.config.systems.closedapp.allowedHours, new Date());
    expect(Math.abs(nextAttemptMs - expected)).toBeLessThan(60_000);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await handle.terminate('test done');
  });

  it('lets the workflow sleep until the window opens instead of enqueuing', async () => {
    const run = await h.start({ bot: 'closedapp.echo', input: { n: 2 }, maximumAttempts: 3, heartbeatTimeout: '10s' });
    const handle = h.client.workflow.getHandle(run.workflowId);
    await expect
      .poll(async () => ((await handle.fetchHistory()).events ?? []).some((e) => e.timerStartedEventAttributes), {
        timeout: 10_000,
      })
      .toBe(true);
    const jobs = await h.queues.queueFor('closedapp').getJobs(['waiting', 'active', 'delayed', 'completed', 'failed']);
    expect(jobs.filter((j) => j.data.workflowId === run.workflowId)).toHaveLength(0);
    await handle.terminate('test done');
  });

  it('aborts the bot and reports cancellation when the workflow is cancelled', async () => {
    const run = await h.start({
      bot: 'formapp.wait-for-cancel',
      input: {},
      maximumAttempts: 1,
      heartbeatTimeout: '10s',
    });
    const handle = h.client.workflow.getHandle(run.workflowId);
    await expect
      .poll(async () => (await h.queues.queueFor('formapp').getJobCounts('active')).active, { timeout: 10_000 })
      .toBe(1);
    await handle.cancel();
    const err = await run.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    await expect.poll(() => abortedKeys.includes(run.request.idempotencyKey), { timeout: 10_000 }).toBe(true);
  });
});
