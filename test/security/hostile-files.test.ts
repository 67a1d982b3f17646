/**
 * §4 Hostile input files: spreadsheets that claim a million rows or unpack to gigabytes, CSV in the
 * Windows-1252 encoding Swedish Excel writes, and audit exports that a spreadsheet would run as
 * formulas.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { exportAudit } from '../../audit/export.js';
import { ItemsFileError, loadItems } from '../../definitions/items.js';
import { automationSchema } from '../../definitions/schema.js';
import { openStores } from '../../store/open-stores.js';

const definition = automationSchema.parse({
  id: 'hostile-files',
  title: { sv: 'Filer', en: 'Files' },
  department: 'ekonomi',
  manualMinutesPerItem: 1,
  items: { key: 'ref', fields: { ref: { type: 'string' }, payee: { type: 'string' } } },
  steps: [{ id: 'note', type: 'set', values: { x: '1' } }],
});

async function xlsx(fill: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('Blad1');
  sheet.addRow(['ref', 'payee']);
  fill(sheet);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A zip (deflate) of these files, written here because JSZip takes seconds to pack 120 MB. */
function zipOf(files: [string, Buffer][]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of files) {
    const packed = deflateRawSync(content, { level: 1 });
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(content), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(content.length, 22);
    local.writeUInt16LE(Buffer.byteLength(name), 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(crc32(content), 16);
    entry.writeUInt32LE(packed.length, 20);
    entry.writeUInt32LE(content.length, 24);
    entry.writeUInt16LE(Buffer.byteLength(name), 28);
    entry.writeUInt32LE(offset, 42);
    locals.push(local, Buffer.from(name), packed);
    central.push(entry, Buffer.from(name));
    offset += 30 + Buffer.byteLength(name) + packed.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => new Error('accepted'),
    (e: Error) => e,
  );

describe('XLSX limits', () => {
  it('refuses a sheet with a cell in row 1,048,576 at once, saying how many rows it reads', async () => {
    const data = await xlsx((sheet) => (sheet.getCell('A1048576').value = 'x'));
    expect(data.length).toBeLessThan(10_000);
    const started = performance.now();
    const err = await refusal(loadItems({ format: 'xlsx', data }, definition));
    const ms = performance.now() - started;
    expect(err).toBeInstanceOf(ItemsFileError);
    expect(err.message).toMatch(/row 1048576.*at most 200000 rows/);
    expect(ms).toBeLessThan(3000);
  });

  it('refuses a sheet more than 200 columns wide', async () => {
    const data = await xlsx((sheet) => (sheet.getCell('ZZ2').value = 'x'));
    const err = await refusal(loadItems({ format: 'xlsx', data }, definition));
    expect(err.message).toMatch(/column 702.*at most 200 columns/);
  });

  it('refuses an XLSX that would unpack to more than 100 MB, before unpacking it', async () => {
    const sheet = await JSZip.loadAsync(await xlsx((s) => s.addRow(['A-1', 'Kalle'])));
    const entries: [string, Buffer][] = [];
    for (const [name, file] of Object.entries(sheet.files)) entries.push([name, await file.async('nodebuffer')]);
    // 120 MB of padding inside the workbook compresses to about 120 KB.
    entries.push(['xl/padding.xml', Buffer.alloc(120 * 1024 * 1024, ' ')]);
    const data = zipOf(entries);
    expect(data.length).toBeLessThan(1024 * 1024);
    const rssBefore = process.memoryUsage().rss;
    const err = await refusal(loadItems({ format: 'xlsx', data }, definition));
    expect(err.message).toMatch(/unpacks to \d+ MB; at most 100 MB/);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it('refuses a CSV or JSON with more than 200,000 rows', async () => {
    const csv = `ref,payee\n${'x,y\n'.repeat(200_001)}`;
    expect((await refusal(loadItems({ format: 'csv', data: csv }, definition))).message).toMatch(
      /200001 rows.*at most 200000/,
    );
    const json = JSON.stringify(Array.from({ length: 200_001 }, () => ({ ref: 'x' })));
    expect((await refusal(loadItems({ format: 'json', data: json }, definition))).message).toMatch(
      /200001 items.*at most 200000/,
    );
  });

  it('refuses a CSV line longer than 1 MB without spending seconds on it', async () => {
    const started = performance.now();
    const err = await refusal(loadItems({ format: 'csv', data: Buffer.alloc(19 * 1024 * 1024, 'a') }, definition));
    expect(err.message).toMatch(/line 1 of the CSV file is longer than 1 MB/);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('refuses a file larger than 20 MB, whatever its format', async () => {
    const csv = Buffer.alloc(20 * 1024 * 1024 + 1, 'a');
    expect((await refusal(loadItems({ format: 'csv', data: csv }, definition))).message).toMatch(
      /is 20\.0 MB; at most 20 MB/,
    );
  });
});

describe('CSV encodings', () => {
  it('reads a Windows-1252 CSV from Swedish Excel with å, ä and ö intact', async () => {
    const csv = Buffer.from('ref;payee\r\nA-1;Åsa Öberg\r\nA-2;Jörgen Ängström\r\n', 'latin1');
    const loaded = await loadItems({ format: 'csv', data: csv }, definition);
    expect(loaded.items.map((i) => i.data.payee)).toEqual(['Åsa Öberg', 'Jörgen Ängström']);
  });

  it('still reads UTF-8 with and without a byte-order mark', async () => {
    for (const prefix of ['', '\uFEFF']) {
      const loaded = await loadItems({ format: 'csv', data: Buffer.from(`${prefix}ref,payee\nA-1,Åsa\n`) }, definition);
      expect(loaded.items[0].data.payee).toBe('Åsa');
    }
  });

  it('refuses a file in neither encoding, saying how to save it', async () => {
    const utf16 = Buffer.from('\uFEFFref,payee\nA-1,Åsa\n', 'utf16le');
    const err = await refusal(loadItems({ format: 'csv', data: utf16 }, definition));
    expect(err).toBeInstanceOf(ItemsFileError);
    expect(err.message).toMatch(/UTF-8/);
  });

  it('refuses a JSON file that is not UTF-8, saying how to save it', async () => {
    const json = Buffer.from('[{"ref":"A-1","payee":"Åsa"}]', 'latin1');
    const err = await refusal(loadItems({ format: 'json', data: json }, definition));
    expect(err.message).toMatch(/not UTF-8.*save it as UTF-8/);
  });
});

describe('audit export as CSV', () => {
  let dataDir: string;
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('neutralises every field a spreadsheet would run as a formula', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'avlasta-sec-csv-'));
    const stores = await openStores({ dataDir });
    const hostile = ['=HYPERLINK("http://evil.example","klicka")', '+1+cmd|/c calc', '-2+3', '@SUM(A1)', '\t=1'];
    try {
      await stores.audit.append(
        hostile.map((text) => ({
          actor: { kind: 'user' as const, id: text },
          event: 'item.rejected' as const,
          itemKey: text,
          runId: text,
          details: { reason: text },
        })),
      );
      const out = new PassThrough();
      let csv = '';
      out.on('data', (d: Buffer) => (csv += d.toString()));
      await exportAudit(stores.audit, 'csv', out);
      const [header, ...rows] = parseCsv(csv) as string[][];
      expect(rows).toHaveLength(hostile.length);
      for (const row of rows)
        for (const [i, field] of row.entries())
          expect([header[i], field]).toEqual([header[i], expect.not.stringMatching(/^[=+\-@\t\r]/)]);
      expect(rows.map((r) => r[header.indexOf('itemKey')])).toEqual(hostile.map((t) => `'${t}`));
    } finally {
      await stores.close();
    }
  });
});
