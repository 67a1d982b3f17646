/**
 * §3 Personal data: one masking rule (audit/mask.ts) catches every way a personnummer is written,
 * the audit log masks whatever its writers pass, and the item loader's messages never echo one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { maskPersonalData, maskString } from '../../audit/mask.js';
import { loadItems, ItemsFileError } from '../../definitions/items.js';
import { automationSchema } from '../../definitions/schema.js';
import { openStores } from '../../store/open-stores.js';

/** Any run of the last four digits of 19811218-9876 left in the text is a leak. */
const leaks = (text: string) => /9876/.test(text);

describe('maskString', () => {
  it.each([
    ['19811218 9876', '19811218 ****'],
    ['811218+9876', '811218+****'],
    ['19811218–9876', '19811218–****'], // en dash, as word processors write it
    ['19811218—9876', '19811218—****'], // em dash
    ['19811218−9876', '19811218−****'], // minus sign
    ['811218 - 9876', '811218 - ****'],
    ['19811218\u00a09876', '19811218\u00a0****'], // no-break space
  ])('masks %j', (input, masked) => expect(maskString(input)).toBe(masked));

  it('masks a personnummer held as a number (an XLSX cell)', () => {
    expect(maskPersonalData({ pnr: 198112189876, short: 8112189876, amount: 12 })).toEqual({
      pnr: '19811218****',
      short: '811218****',
      amount: 12,
    });
  });
});

describe('the audit log', () => {
  let dataDir: string;
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('masks personal identity numbers in whatever details a writer passes (a file name)', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'avlasta-sec-mask-'));
    const stores = await openStores({ dataDir });
    try {
      await stores.audit.append([
        {
          actor: { kind: 'user', id: 'olle' },
          event: 'api.run-requested',
          details: { fileName: 'ansökan 19811218-9876.csv', note: ['811218 9876'] },
        },
      ]);
      const [entry] = await stores.audit.query({});
      expect(entry.details).toEqual({ fileName: 'ansökan 19811218-****.csv', note: ['811218 ****'] });
      expect((await stores.audit.verify()).ok).toBe(true);
    } finally {
      await stores.close();
    }
  });
});

describe('the item loader', () => {
  const definition = automationSchema.parse({
    id: 'mask-check',
    title: { sv: 'Maskning', en: 'Masking' },
    department: 'ekonomi',
    manualMinutesPerItem: 1,
    items: { key: 'ref', fields: { ref: { type: 'string' }, pnr: { type: 'personnummer' } } },
    steps: [{ id: 'note', type: 'set', values: { x: '1' } }],
  });

  it('never echoes a personnummer in rejections or warnings', async () => {
    const csv = [
      'ref,pnr,19811218-9876',
      'A,19811218 9876,',
      'B,19811218–9876,',
      'C,811218+9876x,',
      'D,19811218 9876 ,',
    ].join('\n');
    const loaded = await loadItems({ format: 'csv', data: csv }, definition);
    expect(loaded.rejected.map((r) => r.row)).toEqual([2, 3, 4, 5]);
    for (const r of loaded.rejected) expect(leaks(r.reason), r.reason).toBe(false);
    for (const w of loaded.warnings) expect(leaks(w), w).toBe(false);
  });

  it('never echoes a personnummer in a file-level error', async () => {
    for (const [format, data] of [
      ['csv', 'ref,pnr\n19811218-9876",1\n'], // csv-parse quotes the field in its message
      ['json', '{"19811218-9876": x}'], // so does JSON.parse
    ] as const) {
      const err = await loadItems({ format, data }, definition).catch((e: Error) => e);
      expect(err).toBeInstanceOf(ItemsFileError);
      expect(leaks((err as Error).message), (err as Error).message).toBe(false);
    }
  });
});
