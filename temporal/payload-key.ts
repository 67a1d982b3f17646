/**
 * The keys that seal Temporal payloads, queued bot input and the engine's files (cipher.ts). Each
 * key has an id, and whatever is sealed names the key it was sealed with, so keys can be rotated:
 * the last key is the current one, the ones before it only open what they sealed.
 *
 * Written `id:base64` (32 random bytes), one per line in <dataDir>/payload.key or comma-separated
 * in AVLASTA_PAYLOAD_KEY (payloadKey in the config file); a single key without an id is
 * `avlasta-1`. With neither, a first key is generated in the data dir for the embedded set-up.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config.js';
import { protectDataDir } from '../store/data-dir.js';

const FIRST_ID = 'avlasta-1';
const KEY_BYTES = 32;

/** Something sealed cannot be opened with the keys at hand: a set-up problem, said in one line. */
export class PayloadKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadKeyError';
  }
}

export class PayloadKeys {
  constructor(
    /** Seals everything new. */
    readonly currentId: string,
    private readonly byId: ReadonlyMap<string, Buffer>,
  ) {}

  get ids(): string[] {
    return [...this.byId.keys()];
  }

  get current(): Buffer {
    return this.byId.get(this.currentId)!;
  }

  key(id: string): Buffer {
    const key = this.byId.get(id);
    if (!key)
      throw new PayloadKeyError(
        `cannot decrypt: it was sealed with payload key ${id}, which is not among the keys configured (${this.ids.join(', ')}): add ${id} back to AVLASTA_PAYLOAD_KEY or payload.key`,
      );
    return key;
  }
}

export function payloadKeyFile(dataDir: string): string {
  return join(dataDir, 'payload.key');
}

/** `id:base64` entries (lines or commas); the last is current. `source` names where they came from. */
export function parsePayloadKeys(text: string, source: string): PayloadKeys {
  const entries = text
    .split(/[\n,]/)
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new ConfigError(`${source}: no payload key`);
  const byId = new Map<string, Buffer>();
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    const id = colon < 0 && entries.length === 1 ? FIRST_ID : entry.slice(0, colon);
    const encoded = colon < 0 ? entry : entry.slice(colon + 1);
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(id))
      throw new ConfigError(`${source}: write each payload key as id:base64 (got an entry without a valid id)`);
    if (byId.has(id)) throw new ConfigError(`${source}: payload key ${id} is listed twice`);
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== KEY_BYTES || key.toString('base64') !== encoded)
      throw new ConfigError(
        `${source}: payload key ${id} is ${key.length} bytes; a payload key is ${KEY_BYTES} random bytes in base64 (openssl rand -base64 32)`,
      );
    byId.set(id, key);
  }
  return new PayloadKeys([...byId.keys()].pop()!, byId);
}

/** The configured keys, or those in <dataDir>/payload.key (created with a first key if missing). */
export function loadPayloadKeys(config: { payloadKey?: string; dataDir: string }): PayloadKeys {
  if (config.payloadKey) return parsePayloadKeys(config.payloadKey, 'AVLASTA_PAYLOAD_KEY');
  const file = payloadKeyFile(config.dataDir);
  if (!existsSync(file)) {
    protectDataDir(config.dataDir);
    try {
      writeFileSync(file, `${FIRST_ID}:${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // another process made it first
    }
  }
  return parsePayloadKeys(readFileSync(file, 'utf8'), file);
}

/** The id after the highest avlasta-<n> in use. */
export function nextKeyId(keys: PayloadKeys): string {
  const numbers = keys.ids.map((id) => Number(/^avlasta-(\d+)$/.exec(id)?.[1] ?? 0));
  return `avlasta-${Math.max(0, ...numbers) + 1}`;
}

/** Adds a new current key to <dataDir>/payload.key (written whole, then renamed); returns its id. */
export function rotatePayloadKeyFile(dataDir: string): { id: string; file: string; previous: string[] } {
  const keys = loadPayloadKeys({ dataDir });
  const file = payloadKeyFile(dataDir);
  const id = nextKeyId(keys);
  const lines = keys.ids.map((k) => `${k}:${keys.key(k).toString('base64')}`);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${[...lines, newKeyEntry(keys)].join('\n')}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  return { id, file, previous: keys.ids };
}

export function newKeyEntry(keys: PayloadKeys): string {
  return `${nextKeyId(keys)}:${randomBytes(KEY_BYTES).toString('base64')}`;
}
