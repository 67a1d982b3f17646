/**
 * The compiled tree (dist/, `npm run build`) is what users and the containers run: the `avlasta`
 * bin answers `--help` and `validate` loading only what those commands need, and both workers
 * start from it (the Temporal worker bundles the compiled workflows).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const bin = join(
  root,
  (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: { avlasta: string } }).bin.avlasta,
);
const hooks = pathToFileURL(join(import.meta.dirname, 'fixtures/record-imports.mjs')).href;
const temp = mkdtempSync(join(tmpdir(), 'avlasta-compiled-'));
const automations = readdirSync(join(root, 'automations'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => join('automations', f));

/** Packages `--help` and `validate` must not load: connections, browsers, servers, spreadsheets. */
const heavyPackages = [
  '@temporalio',
  'pg',
  'playwright-core',
  'fastify',
  'bullmq',
  'ioredis',
  'better-sqlite3',
  'exceljs',
];

beforeAll(() => {
  // Builds only when dist/ is missing or older than a source (what set-up does).
  execFileSync('bash', [join(root, 'scripts/ensure-build.sh')], { stdio: 'inherit' });
}, 180_000);

afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Runs the bin as a user does (its shebang), recording every module it resolves. */
function avlasta(...args: string[]): { code: number; out: string; err: string; packages: string[] } {
  return avlastaWith({}, ...args);
}

function avlastaWith(
  extraEnv: NodeJS.ProcessEnv,
  ...args: string[]
): { code: number; out: string; err: string; packages: string[] } {
  const record = join(temp, `imports-${randomUUID()}.txt`);
  const env = {
    ...process.env,
    ...extraEnv,
    NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(
      `import { register } from 'node:module'; register(${JSON.stringify(hooks)});`,
    )}`,
    AVLASTA_RECORD_IMPORTS: record,
  };
  let code = 0;
  let out = '';
  let err = '';
  try {
    out = execFileSync(bin, args as string[], { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const failed = e as { status: number; stdout: string; stderr: string };
    ({ status: code, stdout: out, stderr: err } = failed);
  }
  const urls = readFileSync(record, 'utf8').split('\n').filter(Boolean);
  const packages = [...new Set(urls.flatMap((u) => /\/node_modules\/((@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? []))];
  return { code, out, err, packages: packages.sort() };
}

/** A definition with one step on the bot `permits.register`, in `project`; returns its path. */
function writePermitDefinition(project: string): string {
  const definition = join(project, 'permits.yaml');
  writeFileSync(
    definition,
    [
      'id: permit-applications',
      'title: { sv: Tillståndsansökningar, en: Permit applications }',
      'department: Stadsbyggnadsförvaltningen',
      'manualMinutesPerItem: 4',
      'items: { key: caseId, fields: { caseId: { type: string }, applicant: { type: string } } }',
      'steps:',
      '  - { id: register, type: bot, bot: permits.register, inputs: { applicant: "{{ item.applicant }}" } }',
      '',
    ].join('\n'),
  );
  return definition;
}

describe('the compiled avlasta bin', () => {
  it('says what to do when dist/ is missing', () => {
    const copy = join(temp, 'no-dist', 'bin', 'avlasta.js');
    mkdirSync(join(temp, 'no-dist', 'bin'), { recursive: true });
    copyFileSync(bin, copy);
    expect(() => execFileSync(copy, ['--help'], { stdio: 'pipe' })).toThrow(
      /dist\/\) is missing: run `bash scripts\/setup\.sh` or `npm run build` first/,
    );
  });

  it('answers --help loading no package but commander', () => {
    const result = avlasta('--help');
    expect(result.code).toBe(0);
    expect(result.out).toContain('Usage: avlasta');
    for (const command of ['validate', 'run', 'approvals', 'audit', 'serve', 'users', 'demo']) {
      expect(result.out).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(result.packages).toEqual(['commander']);
  });

  it('validates the shipped automations without loading Temporal, PostgreSQL, Playwright or Fastify', () => {
    const result = avlasta('validate', ...automations);
    expect({ code: result.code, out: result.out, err: result.err }).toEqual({
      code: 0,
      out: `${automations.length} definitions valid\n`,
      err: '',
    });
    expect(result.packages.filter((p) => heavyPackages.some((h) => p === h || p.startsWith(`${h}/`)))).toEqual([]);
  });

  it('loads a shared bot package, which imports avlasta/bot, from the compiled tree', () => {
    // What `npm install avlasta @other-city/avlasta-permit-bots` leaves in a city's project.
    const project = join(temp, 'city');
    const shared = join(project, 'node_modules', '@other-city', 'avlasta-permit-bots');
    mkdirSync(join(project, 'node_modules'), { recursive: true });
    symlinkSync(root, join(project, 'node_modules', 'avlasta'), 'dir');
    cpSync(join(root, 'test/fixtures/shared-bot-package'), shared, { recursive: true });
    const config = join(project, 'avlasta.config.yaml');
    writeFileSync(
      config,
      'systems:\n  permits:\n    baseUrl: http://127.0.0.1:9\nbots:\n  - "@other-city/avlasta-permit-bots"\n',
    );
    const definition = writePermitDefinition(project);
    const result = avlastaWith({ AVLASTA_CONFIG: config }, 'validate', definition);
    expect({ code: result.code, out: result.out, err: result.err }).toEqual({
      code: 0,
      out: '1 definition valid\n',
      err: '',
    });
  });

  it("loads a city's TypeScript bots with the project's own tsx, and says what is missing without it", () => {
    // What `avlasta new system` leaves: bots as .ts files in the project, listed by folder.
    const project = join(temp, 'ts-city');
    mkdirSync(join(project, 'node_modules'), { recursive: true });
    // What `npm init -y && npm pkg set type=module` leaves (docs/AUTHORING.md).
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'ts-city', private: true, type: 'module' }));
    symlinkSync(root, join(project, 'node_modules', 'avlasta'), 'dir');
    mkdirSync(join(project, 'systems', 'permits'), { recursive: true });
    writeFileSync(
      join(project, 'systems', 'permits', 'register.ts'),
      [
        "import { defineBot, z } from 'avlasta/bot';",
        'const input = z.object({ applicant: z.string() });',
        'export const register = defineBot({',
        "  id: 'permits.register',",
        '  input,',
        '  output: z.object({ ok: z.boolean() }),',
        '  async run(): Promise<{ ok: boolean }> {',
        '    return { ok: true };',
        '  },',
        '});',
        '',
      ].join('\n'),
    );
    const config = join(project, 'avlasta.config.yaml');
    writeFileSync(config, 'systems:\n  permits:\n    baseUrl: http://127.0.0.1:9\nbots:\n  - ./systems\n');
    const definition = writePermitDefinition(project);
    const without = avlastaWith({ AVLASTA_CONFIG: config }, 'validate', definition);
    expect(without.code).toBe(1);
    expect(without.err).toMatch(/register\.ts.*install tsx in the project \(npm install tsx\)/);
    symlinkSync(join(root, 'node_modules', 'tsx'), join(project, 'node_modules', 'tsx'), 'dir');
    const withTsx = avlastaWith({ AVLASTA_CONFIG: config }, 'validate', definition);
    expect({ code: withTsx.code, out: withTsx.out, err: withTsx.err }).toEqual({
      code: 0,
      out: '1 definition valid\n',
      err: '',
    });
  });

  it('reports a broken definition on stderr with exit code 1', () => {
    const result = avlasta('validate', 'test/definitions/fixtures/wrong-type.yaml');
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      'test/definitions/fixtures/wrong-type.yaml:5:14: concurrency: expected a number, got "ten"\n',
    );
  });
});

/** Starts a compiled worker and resolves with its output once `ready` appears in it. */
function startWorker(
  script: string,
  ready: RegExp,
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [join(root, 'dist/workers', script)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      if (ready.test(output)) resolve({ child, output: () => output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready:\n${output}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('the compiled workers', () => {
  const id = randomUUID().slice(0, 8);
  const env = {
    AVLASTA_DATA_DIR: join(temp, 'data'),
    AVLASTA_TASK_QUEUE: `compiled-${id}`,
    AVLASTA_QUEUE_PREFIX: `avlasta-compiled-${id}`,
    // Other test files run workers at the same time: no fixed metrics port.
    AVLASTA_METRICS_PORT: '0',
  };

  it('starts the Temporal worker, which bundles the compiled workflows, and stops it on SIGTERM', async () => {
    const { child } = await startWorker('temporal-worker.js', /avlasta temporal worker on task queue compiled-/, env);
    expect(await stop(child)).toBe(0);
  }, 120_000);

  it('starts the bot worker and stops it on SIGTERM', async () => {
    const { child } = await startWorker('bot-worker.js', /bot worker started/, env);
    expect(await stop(child)).toBe(0);
  }, 60_000);
});

describe('set-up rebuilds dist/ only when it is stale (scripts/ensure-build.sh)', () => {
  const stamp = join(root, 'dist/.built');
  const staleReason = () =>
    execFileSync('bash', ['-c', 'source scripts/ensure-build.sh && dist_stale_reason'], {
      cwd: root,
      encoding: 'utf8',
    });

  it('finds dist/ up to date after a build', () => {
    expect(staleReason()).toBe('');
  });

  it('names a source newer than the last build', () => {
    const { atime, mtime } = statSync(stamp);
    utimesSync(stamp, new Date(2000, 0, 1), new Date(2000, 0, 1));
    try {
      expect(staleReason()).toMatch(/^\S+ is newer than dist\/\n$/);
    } finally {
      utimesSync(stamp, atime, mtime);
    }
  });
});
