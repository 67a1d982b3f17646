/**
 * Encrypts every Temporal payload (AES-256-GCM) so item data — which may hold personal identity
 * numbers — is never stored in clear text in Temporal's history or shown in its UI.
 * Workflow ids and search attributes are not payloads: they must never hold personal data.
 */
import type { Payload, PayloadCodec } from '@temporalio/common';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import { maskString } from '../audit/mask.js';
import { seal, unseal } from './cipher.js';

const ENCODING = 'binary/encrypted';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A payload sealed with another key: a known set-up problem, reported in one line by the CLI. */
export class PayloadKeyError extends Error {
  constructor() {
    super(
      'cannot decrypt a Temporal payload: it was encrypted with another key. The Temporal server holds runs started with a ' +
        'different AVLASTA_PAYLOAD_KEY (or the payload.key of another data dir): use that key, or a Temporal server without those runs',
    );
    this.name = 'PayloadKeyError';
  }
}

export class AesGcmCodec implements PayloadCodec {
  constructor(
    private readonly key: Buffer,
    private readonly keyId = 'avlasta-1',
  ) {
    if (key.length !== 32) throw new Error('payload key must be 32 bytes (base64 of 32 random bytes)');
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (isReadableSummary(payload)) return payload;
      const plain = Buffer.from(
        JSON.stringify({
          m: toB64(payload.metadata),
          d: payload.data ? Buffer.from(payload.data).toString('base64') : null,
        }),
      );
      const body = seal(this.key, plain);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: encoder.encode(ENCODING),
          'encryption-key-id': encoder.encode(this.keyId),
        },
        data: body,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || decoder.decode(encoding) !== ENCODING || !payload.data) return payload;
      let plain: Buffer;
      try {
        plain = unseal(this.key, Buffer.from(payload.data));
      } catch {
        throw new PayloadKeyError();
      }
      const parsed = JSON.parse(plain.toString('utf8')) as { m: Record<string, string>; d: string | null };
      return { metadata: fromB64(parsed.m), data: parsed.d === null ? undefined : Buffer.from(parsed.d, 'base64') };
    });
  }
}

/**
 * A workflow's summary and current-details lines are payloads too; encrypted, the Temporal UI would
 * show them as noise. A short plain string with nothing shaped like a personal identity number is
 * left readable. Everything structured (workflow inputs, item data, activity results) is encrypted.
 */
function isReadableSummary(payload: Payload): boolean {
  const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
  if (!encoding || decoder.decode(encoding) !== 'json/plain' || !payload.data || payload.data.length > 1000)
    return false;
  const text = decoder.decode(payload.data);
  if (!text.startsWith('"')) return false;
  const value = JSON.parse(text) as string;
  return maskString(value) === value;
}

function toB64(meta: Payload['metadata']): Record<string, string> {
  return Object.fromEntries(
    Object.entries(meta ?? {}).map(([k, v]) => [k, Buffer.from(v as Uint8Array).toString('base64')]),
  );
}

function fromB64(meta: Record<string, string>): Record<string, Uint8Array> {
  return Object.fromEntries(Object.entries(meta).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
}
