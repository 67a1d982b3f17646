import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { formatFromFileName, loadItems } from '../../definitions/items.js';
import { automationSchema } from '../../definitions/schema.js';

const definition = automationSchema.parse({
  id: 'supplier-invoices',
  title: { sv: 'Fakturor', en: 'Invoices' },
  department: 'ekonomi',
  manualMinutesPerItem: 5,
  items: {
    key: 'invoiceNo',
    fields: {
      invoiceNo: { type: 'string' },
      orgnr: { type: 'orgnr' },
      amount: { type: 'sek' },
      dueDate: { type: 'date', required: false },
      contact: { type: 'personnummer', required: false },
    },
  },
  steps: [{ id: 'register', type: 'bot', bot: 'ekonomi.register-invoice' }],
});

const expectedItems = [
  { row: 2, key: 'F-1', data: { invoiceNo: 'F-1', orgnr: '212000-0142', amount: 1234.5, dueDate: '2025-03-31' } },
  { row: 3, key: 'F-2', data: { invoiceNo: 'F-2', orgnr: '556036-0793', amount: 900, contact: '19811218-9876' } },
];
const expectedRejected = [
  { row: 4, key: 'F-3', reason: 'orgnr: missing; amount: "12,3,4" is not an amount in SEK' },
  {
    row: 5,
    key: 'F-4',
    reason:
      'dueDate: "2025-02-30" is not a real calendar date; contact: personnummer "811218-****" fails the check digit',
  },
  { row: 6, key: 'F-1', reason: 'duplicate key F-1, first seen at row 2' },
  { row: 7, reason: 'invoiceNo: missing' },
];

describe('loadItems from CSV', () => {
  it('reads ";" with a BOM and Swedish amounts, rejecting bad rows with every problem', async () => {
    const csv = [
      '\uFEFFInvoiceNo;ORGNR;Amount;dueDate;contact;comment',
      'F-1;212000-0142;1 234,50;2025-03-31;;hej',
      'F-2;5560360793;900 kr;;811218-9876;',
      'F-3;;12,3,4;;;',
      'F-4;212000-0142;10;2025-02-30;811218-9877;',
      'F-1;212000-0142;10;;;',
      ';212000-0142;10;;;',
      ';;;;;',
      '',
    ].join('\r\n');
    const result = await loadItems({ format: 'csv', data: Buffer.from(csv, 'utf8') }, definition);
    expect(result.items).toEqual(expectedItems);
    expect(result.rejected).toEqual(expectedRejected);
    expect(result.warnings).toEqual(['columns not in the definition were ignored: comment']);
  });

  it('reads "," with quoted amounts and warns about a blank row between items', async () => {
    const csv = 'invoiceNo,orgnr,amount\nF-1,212000-0142,"1 234,50"\n,,\nF-2,212000-0142,1234.50\n';
    const result = await loadItems({ format: 'csv', data: csv }, definition);
    expect(result.items.map((i) => [i.row, i.key, i.data.amount])).toEqual([
      [2, 'F-1', 1234.5],
      [4, 'F-2', 1234.5],
    ]);
    expect(result.rejected).toEqual([]);
    expect(result.warnings).toEqual(['row 3 is empty and was skipped']);
  });

  it('refuses a file without the key column', async () => {
    await expect(loadItems({ format: 'csv', data: 'orgnr;amount\n212000-0142;5\n' }, definition)).rejects.toThrow(
      'the column "invoiceNo" (the item key) is missing from the header',
    );
  });
});

describe('loadItems from XLSX', () => {
  it('reads the first sheet with numbers, dates and text cells as a person sees the rows', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Fakturor');
    sheet.addRow(['invoiceNo', 'orgnr', 'amount', 'dueDate', 'contact', 'note']);
    sheet.addRow(['F-1', '212000-0142', 1234.5, new Date(Date.UTC(2025, 2, 31)), null, 'x']);
    sheet.addRow(['F-2', 5560360793, '900 kr', null, '811218-9876']);
    sheet.addRow(['F-3', null, '12,3,4']);
    sheet.addRow(['F-4', '212000-0142', 10, '2025-02-30', '811218-9877']);
    sheet.addRow(['F-1', '212000-0142', 10]);
    sheet.addRow([null, '212000-0142', 10]);
    workbook.addWorksheet('Ignored').addRow(['invoiceNo']);
    const data = Buffer.from(await workbook.xlsx.writeBuffer());
    const result = await loadItems({ format: 'xlsx', data, fileName: 'fakturor.xlsx' }, definition);
    expect(result.items).toEqual(expectedItems);
    expect(result.rejected).toEqual(expectedRejected);
    expect(result.warnings).toEqual(['columns not in the definition were ignored: note']);
  });

  it('refuses a file that is not a workbook', async () => {
    await expect(loadItems({ format: 'xlsx', data: Buffer.from('not a zip') }, definition)).rejects.toThrow(
      /^not a readable XLSX file/,
    );
  });
});

describe('loadItems from JSON', () => {
  it('numbers rows from 1 and rejects entries that are not objects', async () => {
    const json = JSON.stringify([
      { invoiceNo: 'F-1', orgnr: '212000-0142', amount: 1234.5, dueDate: '2025-03-31' },
      { InvoiceNo: 'F-2', orgnr: '556036-0793', amount: '900', contact: '19811218-9876' },
      'F-3',
      { invoiceNo: 'F-4', orgnr: '212000-0142', amount: 1.234 },
      { invoiceNo: 'F-1', orgnr: '212000-0142', amount: 1 },
    ]);
    const result = await loadItems({ format: 'json', data: json }, definition);
    expect(result.items).toEqual(expectedItems.map((i) => ({ ...i, row: i.row - 1 })));
    expect(result.rejected).toEqual([
      { row: 3, reason: 'not an object with the item fields' },
      { row: 4, key: 'F-4', reason: 'amount: 1.234 has more than 2 decimals' },
      { row: 5, key: 'F-1', reason: 'duplicate key F-1, first seen at row 1' },
    ]);
  });

  it("rejects a key that is another row's once made safe for workflow ids", async () => {
    const json = JSON.stringify([
      { invoiceNo: 'F/1', orgnr: '212000-0142', amount: 1 },
      { invoiceNo: 'F_1', orgnr: '212000-0142', amount: 2 },
      { invoiceNo: 'F-1', orgnr: '212000-0142', amount: 3 },
    ]);
    const result = await loadItems({ format: 'json', data: json }, definition);
    expect(result.items.map((i) => i.key)).toEqual(['F/1', 'F-1']);
    expect(result.rejected).toEqual([
      {
        row: 2,
        key: 'F_1',
        reason:
          'duplicate key F_1, first seen at row 1 (F/1 there: keys must differ in letters, digits, "-" or "_", the characters workflow ids keep)',
      },
    ]);
  });

  it('refuses JSON that is not an array', async () => {
    await expect(loadItems({ format: 'json', data: '{"a":1}' }, definition)).rejects.toThrow(
      'the JSON file must hold an array of objects, one per item',
    );
  });
});

describe('formatFromFileName', () => {
  it('knows csv, xlsx and json only', () => {
    expect(['a.csv', 'B.XLSX', 'c.json', 'd.xls', 'e'].map(formatFromFileName)).toEqual([
      'csv',
      'xlsx',
      'json',
      undefined,
      undefined,
    ]);
  });
});
