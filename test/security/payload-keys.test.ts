/**
 * §3 Payload keys have ids, so they can be rotated: everything sealed (Temporal payloads, the
 * engine's sealed files, queued bot input) names its key and is opened with that key, old keys
 * keep opening what they sealed, and `avlasta keys rotate` makes a new current key. A key of the
 * wrong length is one clear line, not a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openValue, sealValue } from '../../bot-runtime/sealed-input.js';
import { registerKeysCommands } from '../../cli/commands/keys.js';
import type { AvlastaConfig } from '../../config.js';
import { AesGcmCodec } from '../../temporal/codec.js';
import { loadPayloadKeys, PayloadKeyError } from '../../temporal/payload-key.js';
import { readSealedJson, writeSealedJson } from '../../temporal/sealed-file.js';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'avlasta-keys-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const payload = (text: string) => ({
  metadata: { encoding: Buffer.from('json/plain') },
  data: Buffer.from(JSON.stringify({ pnr: text })),
});

async function keys(config: Partial<AvlastaConfig>, ...args: string[]) {
  let out = '';
  let err = '';
  const program = new Command('avlasta')
    .exitOverride()
    .configureOutput({ writeOut: (s) => void (out += s), writeErr: (s) => void (err += s) });
  registerKeysCommands(program, async () => ({ config: { dataDir, ...config } as AvlastaConfig }));
  try {
    await program.parseAsync(['keys', ...args], { from: 'user' });
    return { out, err, exitCode: 0 };
  } catch (e) {
    if (e instanceof CommanderError) return { out, err, exitCode: e.exitCode };
    throw e;
  }
}

describe('payload key rotation', () => {
  it('keeps decoding what the old key sealed and seals anew with the new one', async () => {
    const before = loadPayloadKeys({ dataDir });
    expect(before.currentId).toBe('avlasta-1');
    const oldPayload = (await new AesGcmCodec(before).encode([payload('19811218-9876')]))[0];
    const oldFile = join(dataDir, 'runs', 'r', 'items.sealed');
    await writeSealedJson(before, oldFile, [{ pnr: '19811218-9876' }]);
    const oldJob = sealValue(before, { pnr: '19811218-9876' });

    const rotated = await keys({}, 'rotate');
    expect(rotated).toMatchObject({ exitCode: 0, err: '' });
    expect(rotated.out).toMatch(/^new current payload key avlasta-2 in .*payload\.key; avlasta-1 still opens/);
    expect(statSync(join(dataDir, 'payload.key')).mode & 0o777).toBe(0o600);

    const after = loadPayloadKeys({ dataDir });
    expect([after.currentId, after.ids]).toEqual(['avlasta-2', ['avlasta-1', 'avlasta-2']]);
    const codec = new AesGcmCodec(after);
    const [decoded] = await codec.decode([oldPayload]);
    expect(JSON.parse(Buffer.from(decoded.data!).toString())).toEqual({ pnr: '19811218-9876' });
    const [fresh] = await codec.encode([payload('x')]);
    expect(Buffer.from(fresh.metadata!['encryption-key-id']!).toString()).toBe('avlasta-2');
    expect(await readSealedJson(after, oldFile)).toEqual([{ pnr: '19811218-9876' }]);
    expect(openValue(after, oldJob)).toEqual({ pnr: '19811218-9876' });

    // Without the old key, what it sealed cannot be opened, and the error names the key it needs.
    const onlyNew = loadPayloadKeys({
      dataDir,
      payloadKey: readFileSync(join(dataDir, 'payload.key'), 'utf8').split('\n')[1],
    });
    expect(onlyNew.ids).toEqual(['avlasta-2']);
    await expect(new AesGcmCodec(onlyNew).decode([oldPayload])).rejects.toThrow(PayloadKeyError);
    await expect(new AesGcmCodec(onlyNew).decode([oldPayload])).rejects.toThrow(/payload key avlasta-1/);
    await expect(readSealedJson(onlyNew, oldFile)).rejects.toThrow(/payload key avlasta-1/);
    expect(() => openValue(onlyNew, oldJob)).toThrow(/payload key avlasta-1/);
  });

  it('lists the keys without showing them', async () => {
    await keys({}, 'rotate');
    const listed = await keys({}, 'list');
    expect(listed.out).toBe('avlasta-1\navlasta-2 (current)\n');
    const file = readFileSync(join(dataDir, 'payload.key'), 'utf8');
    for (const secret of file
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(':')[1]))
      expect(listed.out).not.toContain(secret);
  });

  it('tells how to rotate a key that comes from the environment, without writing a file', async () => {
    const configured = `avlasta-1:${randomBytes(32).toString('base64')}`;
    const r = await keys({ payloadKey: configured }, 'rotate');
    expect(r.exitCode).toBe(0);
    expect(r.out).toMatch(/^payload keys come from AVLASTA_PAYLOAD_KEY: append ",avlasta-2:[A-Za-z0-9+/]{43}=" to it/);
    expect(() => statSync(join(dataDir, 'payload.key'))).toThrow();
  });
});

describe('a payload key of the wrong length', () => {
  const cli = (env: Record<string, string>, ...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'cli/avlasta.ts', ...args], {
      env: { ...process.env, AVLASTA_DATA_DIR: dataDir, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('is one clear line from the command line, whether configured or in the key file', () => {
    const short = randomBytes(16).toString('base64');
    const fromEnv = cli({ AVLASTA_PAYLOAD_KEY: short }, 'run', 'status', 'run.x.y');
    expect(fromEnv.status).toBe(1);
    expect(fromEnv.stderr).toBe(
      'avlasta: AVLASTA_PAYLOAD_KEY: payload key avlasta-1 is 16 bytes; a payload key is 32 random bytes in base64 (openssl rand -base64 32)\n',
    );
    writeFileSync(join(dataDir, 'payload.key'), `avlasta-1:${randomBytes(24).toString('base64')}\n`, { mode: 0o600 });
    const fromFile = cli({}, 'run', 'status', 'run.x.y');
    expect(fromFile.status).toBe(1);
    expect(fromFile.stderr).toMatch(
      /^avlasta: .*payload\.key: payload key avlasta-1 is 24 bytes; a payload key is 32 random bytes/,
    );
    expect(fromFile.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    ['temporal worker', 'workers/temporal-worker.ts'],
    ['bot worker', 'workers/bot-worker.ts'],
    ['file-drop watcher', 'workers/file-drop.ts'],
  ])('is one clear line when the %s starts, and no stack trace', (name, entry) => {
    const short = randomBytes(16).toString('base64');
    const r = spawnSync(process.execPath, ['--import', 'tsx', entry], {
      env: { ...process.env, AVLASTA_DATA_DIR: dataDir, AVLASTA_PAYLOAD_KEY: short, AVLASTA_METRICS_PORT: '0' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    const said = `${r.stdout}${r.stderr}`.trim();
    expect(said).toBe(
      `avlasta ${name}: AVLASTA_PAYLOAD_KEY: payload key avlasta-1 is 16 bytes; a payload key is 32 random bytes in base64 (openssl rand -base64 32)`,
    );
  });
});
