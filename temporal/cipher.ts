/**
 * The one cipher Avlasta seals personal data with: AES-256-GCM with a random 96-bit IV, laid out as
 * iv | ciphertext | tag. Temporal payloads (codec.ts), queued bot input (bot-runtime/sealed-input.ts)
 * and the engine's files between activities (sealed-file.ts) all use it.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export function seal(key: Buffer, plain: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

export function unseal(key: Buffer, body: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, 12));
  decipher.setAuthTag(body.subarray(body.length - 16));
  return Buffer.concat([decipher.update(body.subarray(12, body.length - 16)), decipher.final()]);
}
