/**
 * The watcher as it is deployed, a process of its own (workers/file-drop.ts): it stops cleanly on
 * SIGTERM, and when it is started again takes the files dropped while it was down, one run each.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runWorkflowId } from '../../temporal/names.js';
import { testLookup } from '../engine/fixtures/test-bots.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';
import { automationsDir, notesCsv, runResult } from './support.js';

const repo = join(import.meta.dirname, '../..');
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
let engine: EngineHarness;
let folder: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  engine = await startEngine({
    bots: [testLookup],
    systems: { test: { baseUrl: 'http://127.0.0.1:9' } },
    botWorker: 'none',
    configExtra: { triggers: { stableSeconds: 0.2, scanSeconds: 0.5, watch: ['drop-notes'] } },
  });
  folder = join(engine.dataDir, 'inbox', 'drop-notes');
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await engine?.stop();
});

/** Starts the watcher process; resolves once it watches its folder. */
async function startWatcher(): Promise<{ child: ChildProcess; output: () => string }> {
  // Its automations folder is the one in its working directory, as for every process.
  const child = spawn(process.execPath, ['--import', tsx, join(repo, 'workers/file-drop.ts')], {
    cwd: join(automationsDir, '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...engine.env },
  });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  await expect.poll(() => out, { timeout: 30_000, interval: 100 }).toContain('watching drop folder');
  return { child, output: () => out };
}

function exited(child: ChildProcess): Promise<number | NodeJS.Signals | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.signalCode ?? child.exitCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
}

it('stops on SIGTERM and takes the files dropped while it was down when it starts again', async () => {
  const first = await startWatcher();
  const before = notesCsv(1);
  await writeFile(join(folder, 'före.csv'), before);
  await expect.poll(() => existsSync(join(folder, 'processed', 'före.csv')), { timeout: 20_000 }).toBe(true);
  first.child.kill('SIGTERM');
  expect(await exited(first.child)).toBe(0);

  const waiting = [notesCsv(2), notesCsv(1)];
  await writeFile(join(folder, 'medan-1.csv'), waiting[0]);
  await writeFile(join(folder, 'medan-2.csv'), waiting[1]);
  await writeFile(join(folder, 'före-igen.csv'), before);

  const second = await startWatcher();
  for (const name of ['medan-1.csv', 'medan-2.csv', 'före-igen.csv'])
    await expect.poll(() => existsSync(join(folder, 'processed', name)), { timeout: 20_000 }).toBe(true);
  const key = (csv: string) => createHash('sha256').update(csv).digest('hex').slice(0, 16);
  expect((await runResult(engine.client, runWorkflowId('drop-notes', key(waiting[0])))).total).toBe(2);
  expect((await runResult(engine.client, runWorkflowId('drop-notes', key(waiting[1])))).total).toBe(1);
  expect(await readFile(join(folder, 'processed', 'före-igen.csv.reason.txt'), 'utf8')).toContain(
    'no new run was started',
  );
  second.child.kill('SIGTERM');
  expect(await exited(second.child)).toBe(0);
  expect(second.output()).not.toMatch(/"level":50/);
});
