/**
 * The file-drop watcher against the real Temporal dev server: a complete file starts exactly one
 * run (keyed by its content), moves to processed/ or failed/ with a reason, and files waiting
 * while the watcher was down are taken when it starts again.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startRun, type RunDeps } from '../../engine/runs.js';
import { runWorkflowId } from '../../temporal/names.js';
import { startFileDropWatcher, type FileDropWatcher } from '../../triggers/file-drop-watcher.js';
import type { DropOutcome } from '../../triggers/take-dropped-file.js';
import { testLookup } from '../engine/fixtures/test-bots.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';
import { automationsDir, notesCsv, runResult } from './support.js';

let engine: EngineHarness;
let deps: RunDeps;
let folder: string;
const outcomes: { file: string; outcome: DropOutcome }[] = [];

function watch(runs: RunDeps = deps): Promise<FileDropWatcher> {
  return startFileDropWatcher({
    runs,
    audit: engine.stores.audit,
    automations: ['drop-notes'],
    log: pino({ level: 'silent' }),
    onOutcome: (_automation, file, outcome) => outcomes.push({ file, outcome }),
  });
}

/** Waits for the watcher to say what it did with `file` (its `n`th outcome for that name). */
async function outcomeOf(file: string, n = 1, timeoutMs = 20_000): Promise<DropOutcome> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const seen = outcomes.filter((o) => o.file === file && o.outcome.outcome !== 'changed');
    if (seen.length >= n) return seen[n - 1].outcome;
    if (Date.now() > until) throw new Error(`the watcher did not take ${file} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const keyOf = (csv: string) => createHash('sha256').update(csv).digest('hex').slice(0, 16);

/** As a careful writer does: a temporary name first (ignored by the watcher), then a rename. */
async function drop(name: string, content: string): Promise<void> {
  await writeFile(join(folder, `.${name}.part`), content);
  await rename(join(folder, `.${name}.part`), join(folder, name));
}

/** Executions Temporal's visibility lists under the workflow id (waiting until it lists one). */
async function executionsOf(workflowId: string): Promise<number> {
  for (let i = 0; ; i++) {
    const { executions } = await engine.client.workflowService.listWorkflowExecutions({
      namespace: engine.config.temporal.namespace,
      query: `WorkflowId = '${workflowId}'`,
    });
    if (executions.length > 0 || i >= 50) return executions.length;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  engine = await startEngine({
    bots: [testLookup],
    systems: { test: { baseUrl: 'http://127.0.0.1:9' } },
    botWorker: 'none',
    configExtra: { triggers: { stableSeconds: 0.2, scanSeconds: 0.5 } },
  });
  deps = { client: engine.client, config: engine.config, registry: engine.registry, automationsDir };
  folder = join(engine.dataDir, 'inbox', 'drop-notes');
});
afterAll(async () => engine?.stop());

describe('the file-drop watcher', () => {
  let watcher: FileDropWatcher;
  beforeAll(async () => {
    watcher = await watch();
  });
  afterAll(async () => watcher?.close());

  const csv = notesCsv(3);
  const workflowId = () => runWorkflowId('drop-notes', keyOf(csv));

  it('makes the folder <dataDir>/inbox/<automation>/ and starts one run for a complete file', async () => {
    expect(watcher.folders.get('drop-notes')).toBe(folder);
    await drop('fakturor.csv', csv);
    const outcome = await outcomeOf('fakturor.csv');
    expect(outcome).toMatchObject({ outcome: 'started', workflowId: workflowId() });
    expect(await readdir(folder)).not.toContain('fakturor.csv');
    expect(await readFile(join(folder, 'processed', 'fakturor.csv'), 'utf8')).toBe(csv);
    const reason = await readFile(join(folder, 'processed', 'fakturor.csv.reason.txt'), 'utf8');
    expect(reason).toContain(`Run ${workflowId()} started.`);
    expect((await runResult(engine.client, workflowId())).total).toBe(3);
    // The temporary name was never taken for a file of its own.
    expect(outcomes.map((o) => o.file)).not.toContain('.fakturor.csv.part');
  });

  it('audits the start as the file drop, and the run has the file drop as initiator', async () => {
    const entries = await engine.stores.audit.query({ runId: workflowId() });
    const dropped = entries.find((e) => e.event === 'trigger.file-dropped');
    expect(dropped).toMatchObject({
      actor: { kind: 'system', id: 'file-drop:drop-notes' },
      details: { file: 'fakturor.csv', outcome: 'started', runKey: keyOf(csv) },
    });
    expect(entries.filter((e) => e.event === 'run.started').map((e) => e.actor.id)).toEqual(['file-drop:drop-notes']);
  });

  it('starts nothing new for the same content dropped again, under any name', async () => {
    await drop('fakturor.csv', csv);
    await drop('kopia.csv', csv);
    expect(await outcomeOf('fakturor.csv', 2)).toMatchObject({ outcome: 'existing', workflowId: workflowId() });
    expect(await outcomeOf('kopia.csv')).toMatchObject({ outcome: 'existing', workflowId: workflowId() });
    // The second file of the same name gets a numbered name beside the first.
    expect(await readFile(join(folder, 'processed', 'fakturor.2.csv'), 'utf8')).toBe(csv);
    expect(await readFile(join(folder, 'processed', 'kopia.csv.reason.txt'), 'utf8')).toContain(
      'no new run was started',
    );
    const started = (await engine.stores.audit.query({ runId: workflowId() })).filter((e) => e.event === 'run.started');
    expect(started).toHaveLength(1);
    expect(await executionsOf(workflowId())).toBe(1);
  });

  it('moves a file it cannot read to failed/ with a reason that holds no personal data', async () => {
    // The office's group may drop files here, so it may read why one failed.
    await chmod(folder, 0o750);
    const name = 'ansökan 19811218-9876.txt';
    await drop(name, 'Kalle Kula 19811218-9876 vill ha bygglov\n');
    expect(await outcomeOf(name)).toMatchObject({ outcome: 'failed', code: 'AVL_ERR_INPUT_INVALID' });
    expect(existsSync(join(folder, 'failed', name))).toBe(true);
    const reason = await readFile(join(folder, 'failed', `${name}.reason.txt`), 'utf8');
    expect(reason).toContain('AVL_ERR_INPUT_INVALID');
    expect(reason).toContain('sv: Filen kunde inte läsas.');
    expect(reason).toMatch(/unknown input format/);
    expect(reason).not.toContain('9876');
    expect((await stat(join(folder, 'failed'))).mode & 0o777).toBe(0o750);
    expect((await stat(join(folder, 'failed', `${name}.reason.txt`))).mode & 0o777).toBe(0o640);
    const audited = (await engine.stores.audit.query({ automationId: 'drop-notes' })).filter(
      (e) => e.event === 'trigger.file-dropped' && e.details.outcome === 'failed',
    );
    expect(audited.at(-1)?.details).toMatchObject({ code: 'AVL_ERR_INPUT_INVALID' });
    expect(JSON.stringify(audited)).not.toContain('9876');
  });

  it('moves a file whose rows cannot be read as the automation needs to failed/', async () => {
    await drop('utan-nyckel.csv', 'pnr,amount\n,100\n');
    expect(await outcomeOf('utan-nyckel.csv')).toMatchObject({ outcome: 'failed' });
    const reason = await readFile(join(folder, 'failed', 'utan-nyckel.csv.reason.txt'), 'utf8');
    expect(reason).toMatch(/ref/);
  });
});

describe('a restart of the watcher with files waiting', () => {
  it('starts one run per waiting file, and none for a file whose run started before the stop', async () => {
    const first = notesCsv(1);
    const second = notesCsv(2);
    const third = notesCsv(1);
    await writeFile(join(folder, 'a.csv'), first);
    await writeFile(join(folder, 'b.csv'), second);
    await writeFile(join(folder, 'c.csv'), third);
    // The watcher stopped after it had started c.csv's run and before it moved the file.
    const earlier = await startRun(deps, {
      automationId: 'drop-notes',
      initiator: 'file-drop:drop-notes',
      input: { fileName: 'c.csv', data: Buffer.from(third) },
    });
    const watcher = await watch();
    try {
      expect(await outcomeOf('a.csv')).toMatchObject({ outcome: 'started' });
      expect(await outcomeOf('b.csv')).toMatchObject({ outcome: 'started' });
      expect(await outcomeOf('c.csv')).toMatchObject({ outcome: 'existing', workflowId: earlier.workflowId });
      expect((await readdir(folder)).filter((n) => n.endsWith('.csv'))).toEqual([]);
      expect((await runResult(engine.client, runWorkflowId('drop-notes', keyOf(second)))).total).toBe(2);
    } finally {
      await watcher.close();
    }
  });
});

describe('a file dropped while Temporal does not answer', () => {
  it('stays in the folder and starts its run once Temporal answers', async () => {
    let down = true;
    const unreachable = {
      getHandle: () => ({ describe: () => Promise.reject(new Error('14 UNAVAILABLE: No connection established')) }),
    };
    const client = new Proxy(engine.client, {
      get: (target, prop, receiver) =>
        prop === 'workflow' && down ? unreachable : Reflect.get(target, prop, receiver),
    });
    const watcher = await watch({ ...deps, client });
    try {
      const csv = notesCsv(1);
      await drop('under-avbrott.csv', csv);
      expect(await outcomeOf('under-avbrott.csv')).toMatchObject({ outcome: 'retry' });
      expect(await readdir(folder)).toContain('under-avbrott.csv');
      down = false;
      expect(await outcomeOf('under-avbrott.csv', 2)).toMatchObject({
        outcome: 'started',
        workflowId: runWorkflowId('drop-notes', keyOf(csv)),
      });
    } finally {
      await watcher.close();
    }
  });
});
