/**
 * The file-drop watcher: one drop folder per automation (drop-folders.ts), each watched with
 * fs.watch and scanned every `triggers.scanSeconds` besides, since fs.watch misses changes on some
 * file systems (network shares, some containers' volumes). A start scans what is waiting, so files
 * dropped while the watcher was down start their runs then. Each folder takes one file at a time,
 * oldest first; what happens to a file is take-dropped-file.ts.
 */
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { dropFolderOf } from './drop-folders.js';
import { CompletenessTracker, isIgnoredName, type FileState } from './file-completeness.js';
import { takeDroppedFile, type DropDeps, type DropOutcome } from './take-dropped-file.js';

export interface FileDropWatcherOptions extends DropDeps {
  automations: string[];
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Told each file's outcome (tests wait on it). */
  onOutcome?: (automationId: string, file: string, outcome: DropOutcome) => void;
}

export interface FileDropWatcher {
  /** automation id → its drop folder. */
  folders: Map<string, string>;
  close(): Promise<void>;
}

export async function startFileDropWatcher(opts: FileDropWatcherOptions): Promise<FileDropWatcher> {
  const { triggers } = opts.runs.config;
  const folders = new Map(opts.automations.map((id) => [id, dropFolderOf(opts.runs.config, id)]));
  const watched = [...folders].map(([id, folder]) => new DropFolder(opts, id, folder, triggers.stableSeconds * 1000));
  await Promise.all(watched.map((f) => f.start()));
  const interval = setInterval(() => watched.forEach((f) => f.poke()), triggers.scanSeconds * 1000);
  return {
    folders,
    async close() {
      clearInterval(interval);
      await Promise.all(watched.map((f) => f.close()));
    },
  };
}

class DropFolder {
  private readonly tracker: CompletenessTracker;
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private scanning?: Promise<void>;
  private again = false;
  private closed = false;
  /** Files whose start waits for the engine: said once, not at every scan. */
  private readonly waiting = new Set<string>();

  constructor(
    private readonly opts: FileDropWatcherOptions,
    private readonly automationId: string,
    private readonly folder: string,
    private readonly stableMs: number,
  ) {
    this.tracker = new CompletenessTracker(stableMs);
  }

  async start(): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    this.listen();
    this.opts.log.info({ automation: this.automationId, folder: this.folder }, 'watching drop folder');
    this.poke();
    await this.scanning;
  }

  /** Asks for a scan; one runs at a time, and a poke during it makes one more. */
  poke(): void {
    if (this.closed) return;
    if (this.scanning) {
      this.again = true;
      return;
    }
    this.scanning = this.scan()
      .catch((err: Error) => this.opts.log.error({ automation: this.automationId, err }, 'drop folder scan failed'))
      .finally(() => {
        this.scanning = undefined;
        if (this.again) {
          this.again = false;
          this.poke();
        }
      });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.watcher?.close();
    await this.scanning;
  }

  private listen(): void {
    try {
      this.watcher = watch(this.folder, () => this.poke());
      // The folder went away or the watch broke: the periodic scan carries on (and makes it again).
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch {
      this.watcher = undefined;
    }
  }

  private async scan(): Promise<void> {
    const entries = await readdir(this.folder, { withFileTypes: true }).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
      await mkdir(this.folder, { recursive: true });
      return [];
    });
    if (!this.watcher) this.listen();
    const names = entries.filter((e) => e.isFile() && !isIgnoredName(e.name)).map((e) => e.name);
    this.tracker.keepOnly(new Set(names));
    const complete: { name: string; state: FileState }[] = [];
    let nextLook = Infinity;
    for (const name of names) {
      const s = await stat(join(this.folder, name)).catch(() => undefined);
      if (!s) continue;
      const state = { size: s.size, mtimeMs: s.mtimeMs };
      const wait = this.tracker.waitFor(name, state);
      if (wait === 0) complete.push({ name, state });
      else nextLook = Math.min(nextLook, wait);
    }
    complete.sort((a, b) => a.state.mtimeMs - b.state.mtimeMs);
    for (const { name, state } of complete) {
      if (this.closed) return;
      const outcome = await takeDroppedFile(this.opts, this.automationId, this.folder, name, state);
      this.report(name, outcome);
      if (outcome.outcome === 'changed') nextLook = Math.min(nextLook, this.stableMs);
    }
    // A file still being written is looked at again when it may be complete, not only at the next scan.
    clearTimeout(this.timer);
    if (nextLook !== Infinity && !this.closed) this.timer = setTimeout(() => this.poke(), nextLook + 10);
  }

  private report(name: string, outcome: DropOutcome): void {
    const fields = { automation: this.automationId, file: name, ...outcome };
    if (outcome.outcome === 'retry') {
      if (!this.waiting.has(name)) this.opts.log.warn(fields, 'dropped file waits: the engine did not answer');
      this.waiting.add(name);
    } else {
      this.waiting.delete(name);
      if (outcome.outcome !== 'gone' && outcome.outcome !== 'changed') this.opts.log.info(fields, 'dropped file taken');
    }
    this.opts.onOutcome?.(this.automationId, name, outcome);
  }
}
