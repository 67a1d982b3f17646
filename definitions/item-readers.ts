/**
 * Reads an input file (CSV, XLSX, JSON) into a header and raw rows with the row number a person
 * sees: in CSV/XLSX the header is row 1 and the first data row is row 2; in JSON, index + 1.
 * Throws ItemsFileError when the file as a whole cannot be read.
 */
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';

export type InputFormat = 'csv' | 'xlsx' | 'json';

export interface RawRow {
  row: number;
  /** Column name (as written in the file) → raw cell value. */
  cells: Record<string, unknown>;
}

export class ItemsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ItemsFileError';
  }
}

export function formatFromFileName(name: string): InputFormat | undefined {
  const ext = /\.([a-z]+)$/i.exec(name)?.[1]?.toLowerCase();
  return ext === 'csv' || ext === 'xlsx' || ext === 'json' ? ext : undefined;
}

/** @param onProgress called between chunks of a long CSV file, after the event loop had a turn */
export async function readRows(
  format: InputFormat,
  data: Buffer | string,
  onProgress?: (rowsDone: number) => void,
): Promise<RawRow[]> {
  if (format === 'csv') return readCsv(typeof data === 'string' ? data : data.toString('utf8'), onProgress);
  if (format === 'json') return readJson(typeof data === 'string' ? data : data.toString('utf8'));
  return readXlsx(typeof data === 'string' ? Buffer.from(data, 'binary') : data);
}

/** Swedish Excel writes ';' (',' is the decimal mark); other tools write ','. The header decides. */
function detectDelimiter(text: string): ';' | ',' {
  const header = text.split(/\r?\n/, 1)[0].replace(/"[^"]*"/g, '');
  return (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ';' : ',';
}

/** Characters handed to the CSV parser between two turns of the event loop. */
const csvChunkChars = 256 * 1024;

async function readCsv(text: string, onProgress?: (rowsDone: number) => void): Promise<RawRow[]> {
  const clean = text.replace(/^\uFEFF/, '');
  const records: string[][] = [];
  const parser = parseCsv({ delimiter: detectDelimiter(clean), relax_column_count: true, skip_empty_lines: false });
  let failure: Error | undefined;
  parser.on('data', (record: string[]) => records.push(record));
  parser.on('error', (err: Error) => (failure ??= err));
  const ended = new Promise<void>((resolve) => parser.on('close', resolve).on('end', resolve).on('error', resolve));
  for (let at = 0; at < clean.length && !failure; at += csvChunkChars) {
    parser.write(clean.slice(at, at + csvChunkChars));
    await new Promise((resolve) => setImmediate(resolve));
    onProgress?.(records.length);
  }
  if (!failure) parser.end();
  await ended;
  if (failure) throw new ItemsFileError(`not a readable CSV file: ${failure.message}`);
  const [header, ...rows] = records;
  if (!header || header.every((h) => h.trim() === '')) throw new ItemsFileError('the CSV file has no header row');
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

async function readXlsx(data: Buffer): Promise<RawRow[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
  } catch (err) {
    throw new ItemsFileError(`not a readable XLSX file: ${(err as Error).message}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new ItemsFileError('the XLSX file has no worksheet');
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
