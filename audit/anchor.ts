/**
 * Anchors the audit chain outside its database. A hash chain shows an entry was altered, but not
 * that the log was rewritten from some entry on (every later hash recomputed) or cut short at the
 * end. So the head of the chain (sequence number and hash) is signed with an Ed25519 key that
 * lives outside the database (a file, 0600), and each signed checkpoint is written both to the
 * database and to a file the application only ever opens for appending (O_APPEND; `chattr +a`
 * in production makes the kernel hold it to that). Whoever can change the database but not that
 * key or that file can no longer shorten or rewrite the log unnoticed: `verify` checks the chain
 * against every checkpoint.
 *
 * A process checkpoints the head after its first commit, whenever its appends cross a multiple of
 * `every` entries, after `intervalMs` have passed since its last checkpoint (on its next commit,
 * or by a timer when it goes quiet) and when it closes.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

export interface Checkpoint {
  seq: number;
  hash: string;
  /** When it was signed, ISO 8601 UTC. */
  at: string;
  /** Ed25519 over checkpointMessage(), base64. */
  signature: string;
}

export interface AnchorOptions {
  /** PEM private key; created (0600) when missing. The public key is written beside it (.pub). */
  signingKeyFile: string;
  /** JSON Lines, one checkpoint per line, only ever appended to. */
  checkpointFile: string;
  /** Checkpoint when a commit crosses a multiple of this many entries. @defaultValue 1000 */
  every?: number;
  /** …and at least this often while the process appends. @defaultValue 60000 */
  intervalMs?: number;
}

export class AnchorKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnchorKeyError';
  }
}

const checkpointMessage = (c: Pick<Checkpoint, 'seq' | 'hash' | 'at'>) =>
  Buffer.from(`avlasta audit checkpoint v1\n${c.seq}\n${c.hash}\n${c.at}`);

export function publicKeyFileOf(signingKeyFile: string): string {
  return signingKeyFile.replace(/(\.key)?$/, '.pub');
}

/** Reads the signing key, creating it (and its public half) the first time. */
function loadSigningKey(file: string): { privateKey: KeyObject; publicKey: KeyObject } {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    // Written whole under another name, then linked into place: a process starting at the same
    // moment sees either no key or a complete one, and the first link wins.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    try {
      linkSync(tmp, file);
      // For auditors who verify elsewhere; this process derives it from the private key.
      writeFileSync(publicKeyFileOf(file), publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      unlinkSync(tmp);
    }
  }
  try {
    const privateKey = createPrivateKey(readFileSync(file));
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
    return { privateKey, publicKey: createPublicKey(privateKey) };
  } catch (err) {
    throw new AnchorKeyError(`${file}: not an audit signing key (${(err as Error).message})`);
  }
}

export class AuditAnchor {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly every: number;
  readonly intervalMs: number;
  private head: { seq: number; hash: string } | undefined;
  private lastSeq = 0;
  private lastAt = 0;

  constructor(readonly options: AnchorOptions) {
    ({ privateKey: this.privateKey, publicKey: this.publicKey } = loadSigningKey(options.signingKeyFile));
    mkdirSync(dirname(options.checkpointFile), { recursive: true, mode: 0o700 });
    this.every = options.every ?? 1000;
    this.intervalMs = options.intervalMs ?? 60_000;
  }

  get checkpointFile(): string {
    return this.options.checkpointFile;
  }

  /** After a commit that made (seq, hash) the head: the checkpoint to store, when one is due. */
  afterCommit(seq: number, hash: string, now = Date.now()): Checkpoint | undefined {
    this.head = { seq, hash };
    const due =
      this.lastSeq === 0 ||
      Math.floor(seq / this.every) > Math.floor(this.lastSeq / this.every) ||
      now - this.lastAt >= this.intervalMs;
    return due ? this.checkpoint(now) : undefined;
  }

  /** The head this process appended since its last checkpoint, signed now (timer, close). */
  pending(now = Date.now()): Checkpoint | undefined {
    return this.head && this.head.seq !== this.lastSeq ? this.checkpoint(now) : undefined;
  }

  /** Signs the head and appends it to the checkpoint file; the caller stores it in the database. */
  private checkpoint(now: number): Checkpoint {
    const { seq, hash } = this.head!;
    const at = new Date(now).toISOString();
    const c: Checkpoint = {
      seq,
      hash,
      at,
      signature: sign(null, checkpointMessage({ seq, hash, at }), this.privateKey).toString('base64'),
    };
    appendLine(this.options.checkpointFile, `${JSON.stringify(c)}\n`);
    this.lastSeq = seq;
    this.lastAt = now;
    return c;
  }

  genuine(c: Checkpoint): boolean {
    try {
      return verify(null, checkpointMessage(c), this.publicKey, Buffer.from(c.signature, 'base64'));
    } catch {
      return false;
    }
  }

  /** Every checkpoint in the file; a line cut short by a crash is skipped. */
  fileCheckpoints(): Checkpoint[] {
    if (!existsSync(this.options.checkpointFile)) return [];
    const out: Checkpoint[] = [];
    for (const line of readFileSync(this.options.checkpointFile, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const c = JSON.parse(line) as Checkpoint;
        if (Number.isInteger(c.seq) && typeof c.hash === 'string' && typeof c.at === 'string') out.push(c);
      } catch {
        // a torn last line; the checkpoints before it still count
      }
    }
    return out;
  }
}

/** O_APPEND, so the file works with `chattr +a`; fsync, so a signed checkpoint survives a power cut. */
function appendLine(file: string, line: string): void {
  const fd = openSync(file, 'a', 0o600);
  try {
    writeSync(fd, line);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
