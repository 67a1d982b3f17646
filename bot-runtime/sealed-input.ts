/**
 * BullMQ keeps job data in Redis. A bot's input may hold a personnummer, so it travels sealed with
 * the current payload key (the same AES-256-GCM as Temporal payloads, temporal/cipher.ts, in an
 * envelope naming the key) and is opened only in the bot worker, right before the bot runs.
 */
import { openEnvelope, sealEnvelope } from '../temporal/cipher.js';
import type { PayloadKeys } from '../temporal/payload-key.js';

export interface SealedValue {
  sealed: 'aes-256-gcm';
  data: string; // base64 of the key envelope
}

export function sealValue(keys: PayloadKeys, value: unknown): SealedValue {
  return {
    sealed: 'aes-256-gcm',
    data: sealEnvelope(keys, Buffer.from(JSON.stringify(value ?? null))).toString('base64'),
  };
}

export function openValue(keys: PayloadKeys, sealed: SealedValue): unknown {
  if (sealed?.sealed !== 'aes-256-gcm' || typeof sealed.data !== 'string') {
    throw new Error('job input is not sealed (expected { sealed: "aes-256-gcm", data })');
  }
  return JSON.parse(openEnvelope(keys, Buffer.from(sealed.data, 'base64')).toString('utf8'));
}
