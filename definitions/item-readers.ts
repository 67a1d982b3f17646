/**
 * Reads an input file (CSV, XLSX, JSON) into a header and raw rows with the row number a person
 * sees: in CSV/XLSX the header is row 1 and the first data row is row 2; in JSON, index + 1.
 * Throws ItemsFileError when the file as a whole cannot be read, or is larger than a run takes:
 * the limits below keep a small hostile file (a spreadsheet claiming a million rows, a zip that
 * unpacks to gigabytes) from holding a server's CPU and memory.
 */
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';
import { maskString } from '../audit/mask.js';

export type InputFormat = 'csv' | 'xlsx' | 'json';

/** The largest input file read, in any format (also the upload limit). */
export const MAX_INPUT_BYTES = 20 * 1024 * 1024;
/** Rows of items one run reads. */
export const MAX_ITEM_ROWS = 200_000;
/** Characters one CSV row may have. */
export const MAX_CSV_ROW_CHARS = 1024 * 1024;
/** Columns one sheet or CSV may have. */
export const MAX_COLUMNS = 200;
/** What an XLSX (a zip) may unpack to; checked before it is unpacked. */
export const MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024;

export interface RawRow {
  row: number;
  /** Column name (as written in the file) → raw cell value. */
  cells: Record<string, unknown>;
}

/** Its message may quote the file (parsers do), so identity numbers in it are masked. */
export class ItemsFileError extends Error {
  constructor(message: string) {
    super(maskString(message));
    this.name = 'ItemsFileError';
  }
}

export function formatFromFileName(name: string): InputFormat | undefined {
  const ext = /\.([a-z]+)$/i.exec(name)?.[1]?.toLowerCase();
  return ext === 'csv' || ext === 'xlsx' || ext === 'json' ? ext : undefined;
}

const megabytes = (bytes: number, digits = 0) => (bytes / (1024 * 1024)).toFixed(digits);

/** @param onProgress called between chunks of a long CSV file, after the event loop had a turn */
export async function readRows(
  format: InputFormat,
  data: Buffer | string,
  onProgress?: (rowsDone: number) => void,
): Promise<RawRow[]> {
  const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  if (bytes > MAX_INPUT_BYTES)
    throw new ItemsFileError(
      `the file is ${megabytes(bytes, 1)} MB; at most ${megabytes(MAX_INPUT_BYTES)} MB is read: split it into several runs`,
    );
  if (format === 'csv') return readCsv(decodeText(data, 'csv'), onProgress);
  if (format === 'json') return readJson(decodeText(data, 'json'));
  return readXlsx(typeof data === 'string' ? Buffer.from(data, 'binary') : data);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const windows1252 = new TextDecoder('windows-1252');
const saveAsUtf8 = 'save it as UTF-8 (in Excel: Save as → "CSV UTF-8 (kommaavgränsad)")';

/**
 * The file's text. UTF-8 (with or without a byte-order mark) is read as it is. A CSV that is not
 * valid UTF-8 is what Swedish Excel writes by default ("CSV (semikolonavgränsad)", Windows-1252),
 * so it is read as Windows-1252 rather than turning å, ä and ö into U+FFFD. UTF-16 and binary
 * files are refused with how to save them; JSON is UTF-8 by definition.
 */
function decodeText(data: Buffer | string, format: 'csv' | 'json'): string {
  if (typeof data === 'string') return data.replace(/^\uFEFF/, '');
  if ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff))
    throw new ItemsFileError(`the file is UTF-16 text, not UTF-8: ${saveAsUtf8}`);
  if (data.includes(0)) throw new ItemsFileError(`the file is not ${format.toUpperCase()} text: ${saveAsUtf8}`);
  try {
    return utf8.decode(data).replace(/^\uFEFF/, '');
  } catch {
    if (format === 'json') throw new ItemsFileError(`the JSON file is not UTF-8: ${saveAsUtf8}`);
    return windows1252.decode(data);
  }
}

/** Swedish Excel writes ';' (',' is the decimal mark); other tools write ','. The header decides. */
function detectDelimiter(text: string): ';' | ',' {
  const header = text.split(/\r?\n/, 1)[0].replace(/"[^"]*"/g, '');
  return (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ';' : ',';
}

/** Characters handed to the CSV parser between two turns of the event loop. */
const csvChunkChars = 256 * 1024;

async function readCsv(text: string, onProgress?: (rowsDone: number) => void): Promise<RawRow[]> {
  const records: string[][] = [];
  const parser = parseCsv({
    delimiter: detectDelimiter(text),
    relax_column_count: true,
    skip_empty_lines: false,
    // A row is a line of a spreadsheet; one without an end is a hostile or a wrong file.
    max_record_size: MAX_CSV_ROW_CHARS,
  });
  let failure: (Error & { code?: string; lines?: number }) | undefined;
  parser.on('data', (record: string[]) => records.push(record));
  parser.on('error', (err: Error) => (failure ??= err));
  const ended = new Promise<void>((resolve) => parser.on('close', resolve).on('end', resolve).on('error', resolve));
  for (let at = 0; at < text.length && !failure; at += csvChunkChars) {
    parser.write(text.slice(at, at + csvChunkChars));
    await new Promise((resolve) => setImmediate(resolve));
    onProgress?.(records.length);
  }
  if (!failure) parser.end();
  await ended;
  if (failure?.code === 'CSV_MAX_RECORD_SIZE')
    throw new ItemsFileError(
      `line ${failure.lines ?? '?'} of the CSV file is longer than ${MAX_CSV_ROW_CHARS / (1024 * 1024)} MB: is it a CSV file, with one row per line?`,
    );
  if (failure) throw new ItemsFileError(`not a readable CSV file: ${failure.message}`);
  const [header, ...rows] = records;
  if (!header || header.every((h) => h.trim() === '')) throw new ItemsFileError('the CSV file has no header row');
  let widest = 0;
  for (const r of records) widest = Math.max(widest, r.length);
  checkSize(rows.length, widest, 'rows');
  return rows.map((values, i) => ({ row: i + 2, cells: Object.fromEntries(header.map((h, j) => [h, values[j]])) }));
}

function readJson(text: string): RawRow[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ItemsFileError(`not a readable JSON file: ${(err as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new ItemsFileError('the JSON file must hold an array of objects, one per item');
  checkSize(parsed.length, 0, 'items');
  return parsed.map((value, i) => ({
    row: i + 1,
    cells:
      value && typeof value === 'object' && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : { [notAnObject]: value },
  }));
}

/** Marks a JSON entry that is not an object, so the row is rejected (never dropped). */
export const notAnObject = '\u0000not-an-object';

function checkSize(rows: number, columns: number, what: 'rows' | 'items'): void {
  if (rows > MAX_ITEM_ROWS)
    throw new ItemsFileError(
      `the file has ${rows} ${what}; at most ${MAX_ITEM_ROWS} are read in one run: split it into several files`,
    );
  if (columns > MAX_COLUMNS)
    throw new ItemsFileError(`a row of the file has ${columns} columns; at most ${MAX_COLUMNS} columns are read`);
}

async function readXlsx(data: Buffer): Promise<RawRow[]> {
  const unpacked = zipUnpackedBytes(data);
  if (unpacked > MAX_XLSX_UNPACKED_BYTES)
    throw new ItemsFileError(
      `the XLSX file unpacks to ${megabytes(unpacked)} MB; at most ${megabytes(MAX_XLSX_UNPACKED_BYTES)} MB is read`,
    );
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
  } catch (err) {
    throw new ItemsFileError(`not a readable XLSX file: ${(err as Error).message}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new ItemsFileError('the XLSX file has no worksheet');
  // rowCount and columnCount are the last row and column holding anything, however empty the rest.
  if (sheet.rowCount > MAX_ITEM_ROWS + 1)
    throw new ItemsFileError(
      `the first worksheet has a cell in row ${sheet.rowCount}; at most ${MAX_ITEM_ROWS} rows of items are read (rows 2 to ${MAX_ITEM_ROWS + 1}): delete the rows below your data`,
    );
  if (sheet.columnCount > MAX_COLUMNS)
    throw new ItemsFileError(
      `the first worksheet has a cell in column ${sheet.columnCount}; at most ${MAX_COLUMNS} columns are read: delete the columns right of your data`,
    );
  const header = sheet.getRow(1);
  const names = new Map<number, string>();
  header.eachCell({ includeEmpty: false }, (cell, col) => names.set(col, String(cellValue(cell.value) ?? '').trim()));
  if (names.size === 0) throw new ItemsFileError('the first worksheet has no header row (row 1)');
  const rows: RawRow[] = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: Record<string, unknown> = {};
    for (const [col, name] of names) cells[name] = cellValue(row.getCell(col).value);
    rows.push({ row: r, cells });
  }
  return rows;
}

/** Rich text, formulas, hyperlinks and errors reduced to what the cell shows. */
function cellValue(v: ExcelJS.CellValue): unknown {
  if (v === null || v === undefined || typeof v !== 'object' || v instanceof Date) return v ?? undefined;
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('formula' in v || 'sharedFormula' in v)
    return cellValue((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ('hyperlink' in v) return cellValue((v as ExcelJS.CellHyperlinkValue).text as ExcelJS.CellValue);
  if ('error' in v) return String(v.error);
  return undefined;
}

/**
 * The sum of the uncompressed sizes a zip's central directory declares, read without unpacking
 * anything. 0 when the data is not a zip (the XLSX reader then says so); Infinity for a zip64
 * entry, whose real size needs more than 32 bits.
 */
function zipUnpackedBytes(zip: Buffer): number {
  const endOfDirectory = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endOfDirectory < 0 || endOfDirectory + 22 > zip.length) return 0;
  const entries = zip.readUInt16LE(endOfDirectory + 10);
  let at = zip.readUInt32LE(endOfDirectory + 16);
  let total = 0;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== 0x02014b50) return total;
    const size = zip.readUInt32LE(at + 24);
    if (size === 0xffffffff) return Infinity;
    total += size;
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return total;
}
