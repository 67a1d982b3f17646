/**
 * The one cipher Avlasta seals personal data with: AES-256-GCM with a random 96-bit IV, laid out as
 * iv | ciphertext | tag. Temporal payloads (codec.ts) name their key in the payload's metadata,
 * Temporal's convention; everything else sealed (queued bot input, bot-runtime/sealed-input.ts;
 * the engine's files, sealed-file.ts) is an envelope that names its key itself:
 * 0x01 | id length | id | iv | ciphertext | tag.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { PayloadKeyError, type PayloadKeys } from './payload-key.js';

const ENVELOPE_VERSION = 1;

export function seal(key: Buffer, plain: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/** Opens what `seal` made with this key; throws PayloadKeyError if another key (of this id) made it. */
export function unseal(key: Buffer, body: Buffer, keyId: string): Buffer {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, 12));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(12, body.length - 16)), decipher.final()]);
  } catch {
    throw new PayloadKeyError(
      `cannot decrypt: it was sealed with another key named ${keyId}. Runs started with a different AVLASTA_PAYLOAD_KEY (or the payload.key of another data dir) need that key; use it, or a Temporal server and data dir without those runs`,
    );
  }
}

/** Sealed with the current key, in an envelope naming it. */
export function sealEnvelope(keys: PayloadKeys, plain: Buffer): Buffer {
  const id = Buffer.from(keys.currentId);
  return Buffer.concat([Buffer.from([ENVELOPE_VERSION, id.length]), id, seal(keys.current, plain)]);
}

export function openEnvelope(keys: PayloadKeys, envelope: Buffer): Buffer {
  if (envelope[0] !== ENVELOPE_VERSION || envelope.length < 2 + envelope[1] + 28)
    throw new PayloadKeyError('cannot decrypt: this is not something Avlasta sealed (no key envelope)');
  const id = envelope.subarray(2, 2 + envelope[1]).toString();
  return unseal(keys.key(id), envelope.subarray(2 + envelope[1]), id);
}
