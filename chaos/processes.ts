/**
 * The suite's worker processes (workers/temporal-worker.ts, workers/bot-worker.ts), each in its own
 * process group so a kill -9 takes its Chromium with it, logging to a file of its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface WorkerProcess {
  readonly name: string;
  readonly pid: number | undefined;
  readonly running: boolean;
  start(): void;
  /** kill -9 of the whole process group; resolves when it has exited. */
  kill(): Promise<void>;
  /** SIGTERM (a graceful stop), then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export function workerProcess(name: string, script: string, env: NodeJS.ProcessEnv, logFile: string): WorkerProcess {
  const log = createWriteStream(logFile, { flags: 'a' });
  let child: ChildProcess | undefined;
  const running = () => !!child && child.exitCode === null && child.signalCode === null;
  const signalGroup = async (signal: NodeJS.Signals, graceMs?: number) => {
    if (!child || !running()) return;
    const exited = new Promise((r) => child!.once('exit', r));
    try {
      process.kill(-child.pid!, signal);
    } catch {
      return; // already gone
    }
    if (graceMs === undefined) return void (await exited);
    const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return {
    name,
    get pid() {
      return child?.pid;
    },
    get running() {
      return running();
    },
    start() {
      if (running()) return;
      // `node --import tsx` rather than npx: no wrapper processes between the signal and the worker.
      child = spawn(process.execPath, ['--import', 'tsx', script], {
        cwd: root,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env,
      });
      log.write(`--- ${new Date().toISOString()} ${name} started (pid ${child.pid})\n`);
      child.stdout?.pipe(log, { end: false });
      child.stderr?.pipe(log, { end: false });
      const started = child;
      started.once('exit', (code, signal) =>
        log.write(`--- ${new Date().toISOString()} ${name} (pid ${started.pid}) exited: ${signal ?? code}\n`),
      );
    },
    kill: () => signalGroup('SIGKILL'),
    stop: (graceMs = 30_000) => signalGroup('SIGTERM', graceMs),
  };
}
