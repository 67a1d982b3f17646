/**
 * A city's own project folder, as tests that install something into one use it: the `avlasta`
 * command run there as a user runs it, and the real worker and server processes started there
 * (each in its own process group, so stopping one stops its Chromium too); long-running commands
 * (`avlasta dev`) whose output a test follows.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createBotQueues } from '../../bot-runtime/queues.js';
import { loadConfig } from '../../config.js';

export const repo = fileURLToPath(new URL('../../', import.meta.url));
export const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** What `npm install avlasta` leaves in a city's project: Avlasta under node_modules. */
export function installAvlasta(project: string): void {
  mkdirSync(join(project, 'node_modules'), { recursive: true });
  symlinkSync(repo, join(project, 'node_modules', 'avlasta'), 'dir');
}

/**
 * A project that shares nothing with other test files running at the same time: its configuration
 * file and data dir in `project`, a payload key of its own, a task queue named by `label` and a
 * BullMQ prefix of its own, no fixed metrics port.
 */
export function ownCityProject(project: string, label: string): CityProject {
  const id = randomUUID().slice(0, 8);
  return new CityProject(project, {
    ...process.env,
    AVLASTA_CONFIG: join(project, 'avlasta.config.yaml'),
    AVLASTA_DATA_DIR: join(project, '.avlasta'),
    AVLASTA_PAYLOAD_KEY: randomBytes(32).toString('base64'),
    AVLASTA_TASK_QUEUE: `${label}-${id}`,
    AVLASTA_QUEUE_PREFIX: `avlasta-test-${id}`,
    AVLASTA_METRICS_PORT: '0',
    LOG_LEVEL: 'info',
  });
}

export class CityProject {
  private readonly children: ChildProcess[] = [];

  constructor(
    readonly dir: string,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  /** `avlasta <args>` in the project folder (or `cwd`); an `extraEnv` value undefined unsets it. */
  avlasta(args: string[], extraEnv: NodeJS.ProcessEnv = {}, cwd = this.dir): Promise<CliResult> {
    return runNode([join(repo, 'cli/avlasta.ts'), ...args], { cwd, env: definedOnly({ ...this.env, ...extraEnv }) });
  }

  /**
   * Starts a process in the project folder (an entry point and its arguments); resolves once it
   * prints a line matching `ready`, with that line.
   */
  start(entry: string, ready: RegExp, args: string[] = []): Promise<{ child: ChildProcess; line: string }> {
    const child = spawn(process.execPath, ['--import', tsx, join(repo, entry), ...args], {
      cwd: this.dir,
      env: this.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.push(child);
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

  /**
   * The Temporal worker, the bot worker and `avlasta serve`, and an API token of a person with
   * the ops role: the environment a signed-in `avlasta run start` needs.
   */
  async startStack(person: string): Promise<NodeJS.ProcessEnv> {
    expect0(await this.avlasta(['users', 'add', person, '--name', `${person} (ops)`, '--roles', 'ops']));
    const token = (await this.avlasta(['users', 'token', person, '--label', 'test'])).stdout.trim().split('\n').pop()!;
    const [, , server] = await Promise.all([
      this.start('workers/temporal-worker.ts', /avlasta temporal worker on task queue/),
      this.start('workers/bot-worker.ts', /bot worker started/),
      this.start('cli/avlasta.ts', /avlasta inbox and API on http:\/\/\S+/, ['serve', '--port', '0']),
    ]);
    const url = /http:\/\/\S+/.exec(server.line)![0].replace(/\/+$/, '');
    return { AVLASTA_API_TOKEN: token, AVLASTA_SERVER_URL: url };
  }

  /** SIGTERM to each process group started here, and wait for them. */
  async stop(): Promise<void> {
    await Promise.all(this.children.map((child) => stopGroup(child)));
  }

  /** Removes the bot queues of `systems` under this project's prefix from Redis. */
  async removeQueues(systems: string[]): Promise<void> {
    const queues = createBotQueues(loadConfig(this.env, this.dir), { prefix: this.env.AVLASTA_QUEUE_PREFIX });
    for (const system of systems) await queues.queueFor(system).obliterate({ force: true });
    await queues.close();
  }
}

/** `node --import tsx <args>` in `cwd` (`avlasta …` is `['<repo>/cli/avlasta.ts', …]`, a test file `['--test', file]`). */
export function runNode(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', tsx, ...args],
      { cwd: opts.cwd, env: opts.env, timeout: 180_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err.code as number) ?? 1) : 0, stdout, stderr }),
    );
  });
}

export interface LongRunning {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the first line after `fromOffset` matching `pattern`; rejects, with the output, after `timeoutMs`. */
  waitFor(pattern: RegExp, fromOffset?: number, timeoutMs?: number): Promise<string>;
}

/** Starts `node --import tsx <args>` in a process group of its own, its output followed. */
export function startLongRunning(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): LongRunning {
  const child = spawn(process.execPath, ['--import', tsx, ...args], {
    cwd: opts.cwd,
    env: opts.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());
  const onData = (d: Buffer) => {
    output += d.toString();
    notify();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  child.once('exit', notify);
  return {
    child,
    output: () => output,
    waitFor(pattern, fromOffset = 0, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const settle = (fn: () => void) => {
          listeners.delete(check);
          clearTimeout(timer);
          fn();
        };
        const timer = setTimeout(
          () => settle(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${output}`))),
          timeoutMs,
        );
        const check = () => {
          const line = output
            .slice(fromOffset)
            .split('\n')
            .find((l) => pattern.test(l));
          if (line !== undefined) settle(() => resolve(line));
          else if (child.exitCode !== null || child.signalCode !== null)
            settle(() => reject(new Error(`${args.join(' ')} ended before printing ${pattern}:\n${output}`)));
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/** `signal` to the process's group, and wait for the process to end. */
export async function stopGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid, signal);
  await exited;
}

function expect0(result: CliResult): void {
  if (result.code !== 0) throw new Error(`avlasta failed (${result.code}): ${result.stderr}`);
}

function definedOnly(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));
}
