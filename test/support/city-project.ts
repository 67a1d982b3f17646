/**
 * A city's own project folder, as `npm install avlasta` leaves it (node_modules/avlasta is this
 * checkout), and the commands and processes a person runs there: `avlasta …` and long-running
 * ones (workers, `avlasta dev`) that print a line when they are ready.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repo = fileURLToPath(new URL('../../', import.meta.url));
export const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** A new project folder with Avlasta installed in it (a symlink to this checkout). */
export function cityProject(prefix = 'avlasta-city-'): string {
  const project = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(project, 'node_modules'), { recursive: true });
  symlinkSync(repo, join(project, 'node_modules', 'avlasta'), 'dir');
  return project;
}

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node --import tsx <args>` in `cwd`: `avlasta …` is `['<repo>/cli/avlasta.ts', …]`. */
export function runNode(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }) {
  return new Promise<Outcome>((resolve) => {
    execFile(
      process.execPath,
      ['--import', tsx, ...args],
      { cwd: opts.cwd, env: opts.env, timeout: opts.timeoutMs ?? 180_000 },
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

/** Starts `node --import tsx <args>` in a process group of its own (so its children can be signalled with it). */
export function startLongRunning(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): LongRunning {
  const child = spawn(process.execPath, ['--import', tsx, ...args], {
    cwd: opts.cwd,
    env: opts.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    output += d.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  child.once('exit', () => {
    for (const listener of listeners) listener();
  });
  return {
    child,
    output: () => output,
    waitFor(pattern, fromOffset = 0, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${output}`));
        }, timeoutMs);
        const check = () => {
          const line = output
            .slice(fromOffset)
            .split('\n')
            .find((l) => pattern.test(l));
          if (line !== undefined) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(line);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            listeners.delete(check);
            clearTimeout(timer);
            reject(new Error(`${args.join(' ')} ended before printing ${pattern}:\n${output}`));
          }
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
