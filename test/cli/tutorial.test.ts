/**
 * The tutorial (docs/AUTHORING.md, "Automate your own system"), step by step in an empty project
 * folder, against the example system it uses (examples/permits/legacy-app.ts): `avlasta new`
 * scaffolds the system and a bot whose tests pass at once, `avlasta bot try` runs one against the
 * system, the bot gets its body and passes its test (the example's files, which are the
 * tutorial's end state), and `avlasta dev` runs the automation end to end, restarts on a bot
 * change and stops every process it started on Ctrl-C. Avlasta's own bots/, workflows/, activities/ and engine/ are the same before and after.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { parse } from 'yaml';
import { createBotQueues } from '../../bot-runtime/queues.js';
import { loadConfig } from '../../config.js';
import { startLegacyApp, type LegacyApp } from '../../examples/permits/legacy-app.js';
import {
  installAvlasta,
  repo,
  runNode,
  startLongRunning,
  stopGroup,
  type LongRunning,
} from '../support/city-project.js';

const example = join(repo, 'examples', 'permits');
const coreFolders = ['bots', 'workflows', 'activities', 'engine'];
const id = randomUUID().slice(0, 8);
const prefix = `avlasta-test-${id}`;
const password = randomBytes(12).toString('base64url');
const project = mkdtempSync(join(tmpdir(), 'avlasta-tutorial-'));
installAvlasta(project);
// What `npm init -y && npm pkg set type=module` leaves: the project's .ts files are ES modules.
writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'permit-fees', private: true, type: 'module' }));
let app: LegacyApp;
let env: NodeJS.ProcessEnv;
let coreBefore: string;
let dev: LongRunning | undefined;

const avlasta = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
  runNode([join(repo, 'cli/avlasta.ts'), ...args], { cwd: project, env: { ...env, ...extra } });
/** Copies a file of the finished example into the project, as the tutorial has the reader write it. */
const fromExample = (path: string) => {
  mkdirSync(join(project, path, '..'), { recursive: true });
  copyFileSync(join(example, path), join(project, path));
};

beforeAll(async () => {
  coreBefore = hashFolders(coreFolders);
  // Sessions end after 3 s idle: the bots meet the login page again on the way.
  app = await startLegacyApp({ port: 0, password, sessionIdleMs: 3000 });
  const { AVLASTA_CONFIG: _defaults, ...inherited } = process.env;
  env = {
    ...inherited,
    AVLASTA_DATA_DIR: join(project, '.avlasta'),
    AVLASTA_PAYLOAD_KEY: randomBytes(32).toString('base64'),
    AVLASTA_TASK_QUEUE: `tutorial-${id}`,
    AVLASTA_QUEUE_PREFIX: prefix,
    AVLASTA_PERMITS_USER: 'robot',
    AVLASTA_PERMITS_PASSWORD: password,
    LOG_LEVEL: 'info',
  };
});

afterAll(async () => {
  if (dev) await stopGroup(dev.child, 'SIGKILL');
  const queues = createBotQueues(loadConfig(env, project), { prefix });
  await queues.queueFor('permits').obliterate({ force: true });
  await queues.close();
  await app?.close();
  rmSync(project, { recursive: true, force: true });
});

describe('the tutorial: automate your own system', () => {
  it('scaffolds a system and a bot: their tests pass and validate accepts an automation at once', async () => {
    const system = await avlasta(['new', 'system', 'permits', '--url', app.url, '--title', 'Bygglov']);
    expect(system.stderr).toBe('');
    expect(system.code).toBe(0);
    const bot = await avlasta(['new', 'bot', 'permits.register-fee']);
    expect(bot.code).toBe(0);
    expect(bot.stdout).toContain('wrote systems/permits/register-fee.test.ts');
    const config = parse(readFileSync(join(project, 'avlasta.config.yaml'), 'utf8'));
    expect(config.bots).toEqual(['./systems']);
    expect(config.systems.permits).toMatchObject({
      baseUrl: app.url,
      secrets: { username: 'env:AVLASTA_PERMITS_USER', password: 'env:AVLASTA_PERMITS_PASSWORD' },
    });

    const tests = await runNode(
      ['--test', 'systems/permits/check-login.test.ts', 'systems/permits/register-fee.test.ts'],
      { cwd: project, env },
    );
    expect(tests.stdout).toContain('# pass 2');
    expect(tests.code).toBe(0);

    fromExample('automations/permit-fees.yaml');
    fromExample('fees.csv');
    expect(await avlasta(['validate', 'automations/permit-fees.yaml'])).toMatchObject({
      code: 0,
      stdout: '1 definition valid\n',
    });
  }, 120_000);

  it('bot try runs one bot against the system with the configured secrets, without Temporal', async () => {
    // The tutorial's steps: how Bygglov's pages look, its login page saved for the tests.
    fromExample('systems/permits/session.ts');
    fromExample('systems/permits/fixtures/login.html');
    const tried = await avlasta(['bot', 'try', 'permits.check-login', '--input', '{}', '--trace']);
    expect(tried.code).toBe(0);
    expect(tried.stdout).toContain('"heading": "Bygglov"');
    const screenshot = /^screenshot: (\S+)/m.exec(tried.stdout)![1];
    const trace = /^trace: (\S+)/m.exec(tried.stdout)![1];
    for (const file of [screenshot, trace]) {
      expect(existsSync(file)).toBe(true);
      expect(statSync(file).mode & 0o077).toBe(0);
    }
    const zip = await JSZip.loadAsync(readFileSync(trace));
    for (const file of Object.values(zip.files)) {
      if (!file.dir) expect((await file.async('nodebuffer')).includes(password)).toBe(false);
    }
  }, 60_000);

  it("the bot's body passes its test against the stand-in system", async () => {
    fromExample('legacy-app.ts');
    fromExample('systems/permits/register-fee.ts');
    fromExample('systems/permits/register-fee.test.ts');
    const tests = await runNode(['--test', 'systems/permits/register-fee.test.ts'], { cwd: project, env });
    expect(tests.stdout).toContain('# pass 1');
    expect(tests.code).toBe(0);
  }, 60_000);

  it('avlasta dev runs the automation end to end, restarts on a bot change, and stops everything on Ctrl-C', async () => {
    expect((await avlasta(['users', 'add', 'anna', '--name', 'Anna Ops', '--roles', 'ops'])).code).toBe(0);
    const token = (await avlasta(['users', 'token', 'anna', '--label', 'tutorial'])).stdout.trim().split('\n').pop()!;

    dev = startLongRunning([join(repo, 'cli/avlasta.ts'), 'dev', '--port', '0'], { cwd: project, env });
    await dev.waitFor(/avlasta dev: ready/);
    const started = processesOfThisTest();
    // dev, the Temporal worker, the bot worker, the file-drop watcher, the inbox
    expect(started.length).toBeGreaterThanOrEqual(5);
    expect(dev.output()).toMatch(/Drop a file to run it: +\S+\/inbox\/<automation>/);

    // A bot file saved while dev runs: dev restarts the processes that loaded the bots.
    const mark = dev.output().length;
    fromExample('systems/permits/register-fee.ts');
    const restarted = await dev.waitFor(/avlasta dev: restarted/, mark);
    const inbox = /inbox (http\S+)/.exec(restarted)![1];

    const run = await avlasta(['run', 'start', 'permit-fees', 'fees.csv', '--run-key', id, '--wait'], {
      AVLASTA_API_TOKEN: token,
      AVLASTA_SERVER_URL: inbox,
    });
    expect(run.stderr).toBe(''); // no "no worker polls" warning: dev's worker does
    expect(run.stdout).toContain('3 to run');
    expect(run.stdout).toContain('of the 3 run: 3 done');
    expect(app.fees.map((f) => [f.caseNumber, f.amount]).sort()).toEqual([
      ['BL-101', 4500],
      ['BL-102', 12800],
      ['BL-103', 950],
    ]);
    await dev.waitFor(/^permit-fees\s+\[#+\] 3\/3/);

    // Ctrl-C: the terminal signals dev's process group; dev stops the groups it started.
    await stopGroup(dev.child, 'SIGINT');
    expect(dev.output()).toContain('avlasta dev: stopped');
    const alive = started.filter(isAlive);
    expect(alive).toEqual([]);
    expect(processesOfThisTest()).toEqual([]);

    expect(hashFolders(coreFolders)).toBe(coreBefore);
  }, 240_000);

  it('the processes dev started stop with it even when dev is killed outright', async () => {
    if (dev) await stopGroup(dev.child, 'SIGINT'); // one a failed test above left running
    dev = startLongRunning([join(repo, 'cli/avlasta.ts'), 'dev', '--port', '0'], { cwd: project, env });
    await dev.waitFor(/avlasta dev: ready/);
    const started = processesOfThisTest();
    expect(started.length).toBeGreaterThanOrEqual(5);
    const exited = new Promise((resolve) => dev!.child.once('exit', resolve));
    process.kill(dev.child.pid!, 'SIGKILL'); // dev alone, as when `npx` or a terminal is killed
    await exited;
    await expect.poll(() => started.filter(isAlive), { timeout: 30_000, interval: 250 }).toEqual([]);
  }, 90_000);
});

/** Processes whose environment carries this test's task queue: dev, what it started, their browsers. */
function processesOfThisTest(): number[] {
  const marker = `AVLASTA_TASK_QUEUE=tutorial-${id}\0`;
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'latin1').includes(marker) && isAlive(Number(pid));
      } catch {
        return false; // gone, or not ours to read
      }
    })
    .map(Number);
}

function isAlive(pid: number): boolean {
  try {
    // A zombie has exited; only its parent has not collected it yet.
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** One hash of every file's path and content under the folders of Avlasta's own code. */
function hashFolders(folders: string[]): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else hash.update(relative(repo, path)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  for (const folder of folders) walk(join(repo, folder));
  return hash.digest('hex');
}
