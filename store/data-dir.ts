/**
 * The data dir holds personal data and keys (the SQLite database and its WAL, sealed items,
 * uploaded inputs, screenshots and traces, logs, the payload and audit signing keys), so it is
 * owner-only: the folder 0700, and the process's umask 077 so every file created under it is
 * 0600 and every folder 0700, whoever creates it (SQLite, Playwright's trace writer, pino).
 * Every Avlasta process opens the stores or loads the payload key before it writes there.
 */
import { chmodSync, mkdirSync, statSync } from 'node:fs';

export class DataDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirError';
  }
}

export function protectDataDir(dataDir: string): void {
  process.umask(0o077);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // A shared folder such as /tmp (sticky bit) must never be made private: it is not Avlasta's.
  if (statSync(dataDir).mode & 0o1000)
    throw new DataDirError(`the data dir ${dataDir} is a shared folder: give Avlasta a folder of its own`);
  chmodSync(dataDir, 0o700);
}
