/**
 * A city's own project folder, as tests that install something into one use it: the `avlasta`
 * command run there as a user runs it, and the real worker and server processes started there
 * (each in its own process group, so stopping one stops its Chromium too).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repo = fileURLToPath(new URL('../../', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

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

export class CityProject {
  private readonly children: ChildProcess[] = [];

  constructor(
    readonly dir: string,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  /** `avlasta <args>` in the project folder (or `cwd`); an `extraEnv` value undefined unsets it. */
  avlasta(args: string[], extraEnv: NodeJS.ProcessEnv = {}, cwd = this.dir): Promise<CliResult> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        ['--import', tsx, join(repo, 'cli/avlasta.ts'), ...args],
        { cwd, env: definedOnly({ ...this.env, ...extraEnv }), timeout: 180_000 },
        (err, stdout, stderr) => resolve({ code: err ? ((err.code as number) ?? 1) : 0, stdout, stderr }),
      );
    });
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
    await Promise.all(
      this.children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(-child.pid, 'SIGTERM');
        await exited;
      }),
    );
  }
}

function expect0(result: CliResult): void {
  if (result.code !== 0) throw new Error(`avlasta failed (${result.code}): ${result.stderr}`);
}

function definedOnly(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));
}
