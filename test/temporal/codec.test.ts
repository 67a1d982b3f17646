/** The payload codec: item data never readable in Temporal, summaries readable, wrong keys named. */
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { AesGcmCodec } from '../../temporal/codec.js';
import { parsePayloadKeys, PayloadKeyError } from '../../temporal/payload-key.js';

const randomKeys = () => parsePayloadKeys(randomBytes(32).toString('base64'), 'test');
const codec = new AesGcmCodec(randomKeys());
const toPayload = (v: unknown) => defaultPayloadConverter.toPayload(v)!;
const text = (p: { data?: Uint8Array | null }) => Buffer.from(p.data ?? []).toString('latin1');

describe('AesGcmCodec', () => {
  it('encrypts structured payloads and decodes them back', async () => {
    const item = { personnummer: '19811218-9876', amount: 1234.5 };
    const [encoded] = await codec.encode([toPayload(item)]);
    expect(text(encoded)).not.toContain('19811218');
    expect(text(encoded)).not.toContain('1234.5');
    const [decoded] = await codec.decode([encoded]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(item);
  });

  it('leaves a summary line readable but encrypts a string holding a personnummer', async () => {
    const [summary, personal] = await codec.encode([
      toPayload('Supplier invoices: item F-17 (row 3)'),
      toPayload('Sökande 811218-9876'),
    ]);
    expect(text(summary)).toContain('Supplier invoices: item F-17');
    expect(text(personal)).not.toContain('811218');
    expect(defaultPayloadConverter.fromPayload((await codec.decode([personal]))[0])).toBe('Sökande 811218-9876');
  });

  it('names the likely cause when a payload was sealed with another key', async () => {
    const [encoded] = await codec.encode([toPayload({ a: 1 })]);
    await expect(new AesGcmCodec(randomKeys()).decode([encoded])).rejects.toThrow(PayloadKeyError);
    await expect(new AesGcmCodec(randomKeys()).decode([encoded])).rejects.toThrow(
      /sealed with another key named avlasta-1.*AVLASTA_PAYLOAD_KEY/,
    );
  });
});
