/**
 * A bot worker killed with SIGKILL in the middle of a job (the form was saved, the answer not yet
 * read): Temporal's heartbeat timeout dispatches a new attempt, a restarted worker runs it, the
 * bot finds its own record by idempotency key, and the target system holds exactly one record.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBotHarness, type BotHarness } from '../fixtures/bot-harness.js';
import { startFormApp, type FormApp } from '../fixtures/form-app.js';

let app: FormApp;
let h: BotHarness;
const children: ChildProcess[] = [];

beforeAll(async () => {
  app = await startFormApp();
  h = await startBotHarness({ formapp: { baseUrl: app.baseUrl, concurrency: 1 } });
});

afterAll(async () => {
  for (const child of children) killGroup(child, 'SIGKILL');
  await h?.close();
  await app?.close();
});

/** Signals the worker's whole process group (the worker and its Chromium). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.exitCode === null && child.signalCode === null && child.pid) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  }
}

function spawnBotWorker(): ChildProcess {
  // `node --import tsx` is `npx tsx` without the npm and tsx wrapper processes, so SIGTERM
  // reaches the worker itself and its exit code is the worker's.
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/bot-worker.ts'], {
    cwd: process.cwd(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...h.env,
      AVLASTA_BOT_SYSTEMS: 'formapp',
      AVLASTA_BOT_HEARTBEAT_MS: '500',
      LOG_LEVEL: 'warn',
    },
  });
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[bot-worker ${child.pid}] ${d}`));
  child.stdout?.on('data', (d: Buffer) => process.stdout.write(`[bot-worker ${child.pid}] ${d}`));
  children.push(child);
  return child;
}

function exited(child: ChildProcess): Promise<NodeJS.Signals | number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.signalCode ?? child.exitCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
}

it('completes the item after the bot worker is killed mid-job, with exactly one record', async () => {
  app.setSubmitDelay(30_000); // the record is saved, the answer never arrives before the kill
  const first = spawnBotWorker();
  const run = await h.start({
    bot: 'formapp.register',
    input: { name: 'Gustav', amount: 99 },
    maximumAttempts: 20,
    heartbeatTimeout: '3s',
  }); // room for a slow restart on a busy machine
  await expect.poll(() => app.posts, { timeout: 45_000, interval: 100 }).toBe(1);
  expect(app.count(run.request.idempotencyKey)).toBe(1);

  killGroup(first, 'SIGKILL');
  expect(await exited(first)).toBe('SIGKILL');
  app.setSubmitDelay(0);
  const second = spawnBotWorker();

  const output = (await run.result()) as { registrationNumber: string };
  expect(output.registrationNumber).toBe(
    app.records.find((r) => r.reference === run.request.idempotencyKey)?.registrationNumber,
  );
  expect(app.count(run.request.idempotencyKey)).toBe(1);
  expect(app.posts).toBe(1); // the retry looked the record up instead of submitting again
  const events = (await h.stores.audit.query({ itemKey: run.request.itemKey })).map((e) => e.event);
  // One retry at least; more when the restarted worker took longer than the heartbeat timeout
  // to come up (its stale jobs are then skipped, never run twice).
  expect(events.filter((e) => e === 'step.retried').length).toBeGreaterThanOrEqual(1);
  // The killed attempt is on record as started and never completed; a later attempt started and
  // completed once. (A slow restart can add a started attempt whose job then finds itself stale.)
  expect(events.filter((e) => e === 'step.started').length).toBeGreaterThanOrEqual(2);
  expect(events.filter((e) => e !== 'step.retried' && e !== 'step.started')).toEqual(['step.completed']);

  // SIGTERM shuts the restarted worker down gracefully.
  killGroup(second, 'SIGTERM');
  expect(await exited(second)).toBe(0);
}, 120_000);
