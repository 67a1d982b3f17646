/**
 * BullMQ keeps job data in Redis. A bot's input may hold a personnummer, so it travels sealed with
 * the same AES-256-GCM key as Temporal payloads (temporal/codec.ts) and is opened only in the bot
 * worker, right before the bot runs.
 */
import { seal, unseal } from '../temporal/cipher.js';

export interface SealedValue {
  sealed: 'aes-256-gcm';
  data: string; // base64 of iv | ciphertext | tag
}

export function sealValue(key: Buffer, value: unknown): SealedValue {
  return { sealed: 'aes-256-gcm', data: seal(key, Buffer.from(JSON.stringify(value ?? null))).toString('base64') };
}

export function openValue(key: Buffer, sealed: SealedValue): unknown {
  if (sealed?.sealed !== 'aes-256-gcm' || typeof sealed.data !== 'string') {
    throw new Error('job input is not sealed (expected { sealed: "aes-256-gcm", data })');
  }
  return JSON.parse(unseal(key, Buffer.from(sealed.data, 'base64')).toString('utf8'));
}
