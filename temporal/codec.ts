/**
 * Encrypts every Temporal payload (AES-256-GCM) so item data — which may hold personal identity
 * numbers — is never stored in clear text in Temporal's history or shown in its UI.
 * Workflow ids and search attributes are not payloads: they must never hold personal data.
 */
import type { Payload, PayloadCodec } from '@temporalio/common';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import { maskString } from '../audit/mask.js';
import { seal, unseal } from './cipher.js';
import { PayloadKeyError, type PayloadKeys } from './payload-key.js';

const ENCODING = 'binary/encrypted';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const KEY_ID = 'encryption-key-id';

/**
 * Seals with the current payload key and names it in the payload's metadata (Temporal's convention
 * for codecs); opens each payload with the key it names, so payloads written before a key rotation
 * keep decoding.
 */
export class AesGcmCodec implements PayloadCodec {
  constructor(private readonly keys: PayloadKeys) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (isReadableSummary(payload)) return payload;
      const plain = Buffer.from(
        JSON.stringify({
          m: toB64(payload.metadata),
          d: payload.data ? Buffer.from(payload.data).toString('base64') : null,
        }),
      );
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: encoder.encode(ENCODING),
          [KEY_ID]: encoder.encode(this.keys.currentId),
        },
        data: seal(this.keys.current, plain),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || decoder.decode(encoding) !== ENCODING || !payload.data) return payload;
      const named = payload.metadata?.[KEY_ID];
      if (!named) throw new PayloadKeyError('cannot decrypt a Temporal payload: it names no payload key');
      const id = decoder.decode(named);
      const plain = unseal(this.keys.key(id), Buffer.from(payload.data), id);
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
