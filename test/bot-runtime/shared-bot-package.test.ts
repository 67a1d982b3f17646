/**
 * A bot package another city shares (test/fixtures/shared-bot-package, its own package.json,
 * importing only `avlasta/bot`), installed into a fresh project beside Avlasta and listed under
 * `bots` in that project's configuration: `avlasta validate` accepts a definition using it, and a
 * run through the real processes (CLI, `avlasta serve`, workers/temporal-worker.ts,
 * workers/bot-worker.ts) drives
 * the target system with it. Nothing under bots/ knows the package.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createBotQueues } from '../../bot-runtime/queues.js';
import { loadConfig } from '../../config.js';
import { startFormApp, type FormApp } from '../fixtures/form-app.js';
import { chromiumPath } from '../support/chromium-path.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const project = mkdtempSync(join(tmpdir(), 'avlasta-city-'));
const id = randomUUID().slice(0, 8);
const prefix = `avlasta-test-${id}`;
const children: ChildProcess[] = [];
let app: FormApp;
let env: NodeJS.ProcessEnv;

const automation = {
  id: 'permit-applications',
  title: { sv: 'Tillståndsansökningar', en: 'Permit applications' },
  department: 'Stadsbyggnadsförvaltningen',
  manualMinutesPerItem: 4,
  items: { key: 'caseId', fields: { caseId: { type: 'string' }, applicant: { type: 'string' }, fee: { type: 'sek' } } },
  steps: [
    {
      id: 'register',
      type: 'bot',
      bot: 'permits.register',
      inputs: { applicant: '{{ item.applicant }}', fee: '{{ item.fee }}' },
    },
  ],
};

beforeAll(async () => {
  app = await startFormApp();
  // What `npm install avlasta @other-city/avlasta-permit-bots` leaves in a city's project.
  mkdirSync(join(project, 'node_modules', '@other-city'), { recursive: true });
  symlinkSync(repo, join(project, 'node_modules', 'avlasta'), 'dir');
  cpSync(
    fileURLToPath(new URL('../fixtures/shared-bot-package/', import.meta.url)),
    join(project, 'node_modules', '@other-city', 'avlasta-permit-bots'),
    { recursive: true },
  );
  const systems = { permits: { baseUrl: app.baseUrl, concurrency: 1 } };
  writeFileSync(
    join(project, 'avlasta.config.yaml'),
    stringify({ chromiumPath, systems, bots: ['@other-city/avlasta-permit-bots'] }),
  );
  writeFileSync(join(project, 'without-package.yaml'), stringify({ chromiumPath, systems }));
  mkdirSync(join(project, 'automations'));
  writeFileSync(join(project, 'automations', 'permit-applications.yaml'), stringify(automation));
  env = {
    ...process.env,
    AVLASTA_CONFIG: join(project, 'avlasta.config.yaml'),
    AVLASTA_DATA_DIR: join(project, '.avlasta'),
    AVLASTA_PAYLOAD_KEY: randomBytes(32).toString('base64'),
    AVLASTA_TASK_QUEUE: `shared-bots-${id}`,
    AVLASTA_QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'info',
    // Other test files run workers at the same time: no fixed metrics port.
    AVLASTA_METRICS_PORT: '0',
  };
});

afterAll(async () => {
  await Promise.all(children.map(stop));
  const queues = createBotQueues(loadConfig(env, project), { prefix });
  await queues.queueFor('permits').obliterate({ force: true });
  await queues.close();
  await app?.close();
  rmSync(project, { recursive: true, force: true });
});

/** `avlasta <args>` as a user runs it, in the city's project folder. */
function avlasta(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', tsx, join(repo, 'cli/avlasta.ts'), ...args],
      { cwd: project, env: { ...env, ...extraEnv }, timeout: 180_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err.code as number) ?? 1) : 0, stdout, stderr }),
    );
  });
}

/**
 * Starts a process in the project folder (an entry point and its arguments); resolves once it
 * prints a line matching `ready`, with that line.
 */
function startWorker(
  entry: string,
  ready: RegExp,
  args: string[] = [],
): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, ['--import', tsx, join(repo, entry), ...args], {
    cwd: project,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      const line = output.split('\n').find((l) => ready.test(l));
      if (line) resolve({ child, line });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code} before it was ready:\n${output}`)));
  });
}

/** SIGTERM to the worker's process group (the worker and its Chromium), and wait for it. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid, 'SIGTERM');
  await exited;
}

describe('a shared bot package', () => {
  it('makes avlasta validate accept a definition that uses its bot', async () => {
    const file = 'automations/permit-applications.yaml';
    const [withPackage, without] = await Promise.all([
      avlasta(['validate', file]),
      avlasta(['validate', file], { AVLASTA_CONFIG: join(project, 'without-package.yaml') }),
    ]);
    expect(withPackage).toMatchObject({ code: 0, stdout: '1 definition valid\n' });
    expect(without.code).toBe(1);
    expect(without.stderr).toContain('unknown bot "permits.register"');
  });

  it('runs through the Temporal worker and the bot worker, each item registered once', async () => {
    // A run starts through the API, as a signed-in person with the ops role (here an API token).
    expect((await avlasta(['users', 'add', 'anna', '--name', 'Anna Ops', '--roles', 'ops'])).code).toBe(0);
    const token = (await avlasta(['users', 'token', 'anna', '--label', 'shared-bots-test'])).stdout
      .trim()
      .split('\n')
      .pop()!;
    const [, , server] = await Promise.all([
      startWorker('workers/temporal-worker.ts', /avlasta temporal worker on task queue/),
      startWorker('workers/bot-worker.ts', /bot worker started/),
      startWorker('cli/avlasta.ts', /avlasta inbox and API on http:\/\/\S+/, ['serve', '--port', '0']),
    ]);
    const url = /http:\/\/\S+/.exec(server.line)![0].replace(/\/+$/, '');
    const signedIn = { AVLASTA_API_TOKEN: token, AVLASTA_SERVER_URL: url };
    const items = [
      { caseId: 'BL-1', applicant: 'Astrid Lindqvist', fee: 1200 },
      { caseId: 'BL-2', applicant: 'Bo Ek', fee: 800 },
    ];
    writeFileSync(join(project, 'applications.json'), JSON.stringify(items));
    const run = await avlasta(
      ['run', 'start', 'permit-applications', 'applications.json', '--run-key', id, '--wait'],
      signedIn,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2 to run');
    expect(run.stdout).toContain('of the 2 run: 2 done');
    expect(app.records.map((r) => [r.name, r.amount]).sort()).toEqual([
      ['Astrid Lindqvist', 1200],
      ['Bo Ek', 800],
    ]);
    for (const record of app.records) expect(app.count(record.reference)).toBe(1);
  }, 240_000);
});
