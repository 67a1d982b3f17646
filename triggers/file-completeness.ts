/**
 * When a dropped file is complete. A writer either writes the file elsewhere (or under a temporary
 * name) and renames it into the folder, or writes it in place; the watcher cannot tell the two
 * apart from file-system events, which some file systems (network shares) do not deliver at all.
 * So a file counts as complete once its size and modification time have stayed the same for
 * `stableMs`, counted from its modification time: a file renamed in after it was written, or
 * waiting since before a restart, is complete at first sight; one being written is not until its
 * writer has been quiet that long.
 */

/** Hidden files, editors' and browsers' temporary names: files still being written, or no input at all. */
const NOT_AN_INPUT = /^[.~]|~$|\.(tmp|temp|part|partial|crdownload|download|filepart|swp|lock)$/i;

export function isIgnoredName(name: string): boolean {
  return NOT_AN_INPUT.test(name);
}

export interface FileState {
  size: number;
  mtimeMs: number;
}

export class CompletenessTracker {
  private readonly seen = new Map<string, FileState & { since: number }>();

  constructor(
    private readonly stableMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** 0 when the file is complete; otherwise the milliseconds until it may be. */
  waitFor(name: string, state: FileState): number {
    const now = this.now();
    let known = this.seen.get(name);
    if (!known || known.size !== state.size || known.mtimeMs !== state.mtimeMs) {
      // A modification time ahead of this clock (another host's) counts from now.
      known = { ...state, since: Math.min(now, state.mtimeMs) };
      this.seen.set(name, known);
    }
    return Math.max(0, known.since + this.stableMs - now);
  }

  forget(name: string): void {
    this.seen.delete(name);
  }

  /** Forgets files that left the folder. */
  keepOnly(names: ReadonlySet<string>): void {
    for (const name of this.seen.keys()) if (!names.has(name)) this.seen.delete(name);
  }
}
