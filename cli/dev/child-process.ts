/**
 * One engine process `avlasta dev` runs: started in a process group of its own (so stopping it
 * stops its Chromium too), its output kept in a log file (the terminal keeps the progress table),
 * and an IPC channel it stops with when dev goes away, even when dev is killed outright.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface ChildSpec {
  name: string;
  /** node's arguments: the loader (tsx from sources), the entry file and its arguments. */
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  logFile: string;
  /** A line of its output saying it is ready. */
  ready: RegExp;
}

export interface DevChild {
  name: string;
  pid: number;
  /** The ready line; rejects when the process ends before it (with the end of its log). */
  ready: Promise<string>;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 15_000;

export function startChild(spec: ChildSpec): DevChild {
  const child: ChildProcess = spawn(process.execPath, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const log = createWriteStream(spec.logFile, { flags: 'a', mode: 0o600 });
  let tail = '';
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? null : 0);
      resolve(exitCode);
    }),
  );
  const ready = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
      const line = tail.split('\n').find((l) => spec.ready.test(l));
      if (line) resolve(line);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) =>
      reject(new Error(`${spec.name} ended (exit ${code}) before it was ready; its log: ${spec.logFile}\n${tail}`)),
    );
  });
  ready.catch(() => undefined);
  void exited.then(() => log.end());
  return {
    name: spec.name,
    pid: child.pid!,
    ready,
    exited,
    async stop() {
      if (exitCode !== undefined) return;
      signalGroup(child.pid!, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
      // Whatever it started and left behind (a browser) goes with its group.
      signalGroup(child.pid!, 'SIGKILL');
    },
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}
