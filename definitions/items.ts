/**
 * Loads the items of a run from an input file: each row validated with the definition's field
 * types. Valid rows become items; every other row is rejected with its row number and all of its
 * problems. Nothing is dropped silently: blank rows between items and unknown columns are warnings.
 */
import { maskString } from '../audit/mask.js';
import { parseFieldValue, type ParseOptions } from './field-types.js';
import { keySource, pseudonymKey } from './pseudonym.js';
import { formatFromFileName, ItemsFileError, notAnObject, readRows, type InputFormat } from './item-readers.js';
import type { AutomationDefinition } from './schema.js';
import { sanitize } from '../temporal/names.js';

export { formatFromFileName, ItemsFileError, type InputFormat };

export interface LoadedItem {
  row: number;
  key: string;
  data: Record<string, unknown>;
}

export interface RejectedRow {
  row: number;
  key?: string;
  reason: string;
}

export interface ItemsInput {
  format: InputFormat;
  data: Buffer | string;
  fileName?: string;
}

export interface LoadedItems {
  items: LoadedItem[];
  rejected: RejectedRow[];
  /** File-level notes: unknown columns, blank rows skipped between items. */
  warnings: string[];
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** Rows between two turns of the event loop while a file is read and checked. */
const rowsPerTurn = 1000;

export interface LoadOptions extends ParseOptions {
  /**
   * Called between chunks of rows, after the event loop had a turn: a long file keeps its caller
   * alive (the loadItems activity heartbeats here) instead of blocking it until the end.
   */
  onProgress?: (rowsDone: number) => void;
  /**
   * The city's secret for pseudonymous keys (`items.key: { pseudonym: <field> }`, pseudonym.ts);
   * needed only by definitions that key items so.
   */
  pseudonymSecret?: string;
}

export async function loadItems(
  input: ItemsInput,
  definition: AutomationDefinition,
  opts: LoadOptions = {},
): Promise<LoadedItems> {
  const rows = await readRows(input.format, input.data, opts.onProgress);
  const fields = definition.items.fields;
  const { field: keyField, pseudonym } = keySource(definition);
  if (pseudonym && !opts.pseudonymSecret)
    throw new Error(`${definition.id} keys its items by a pseudonym, and no pseudonym secret was given`);
  const keyOf = (value: unknown) => (pseudonym ? pseudonymKey(opts.pseudonymSecret!, String(value)) : String(value));
  const warnings: string[] = [];
  const columnOf = matchColumns(rows, Object.keys(fields), warnings);
  if (!columnOf.has(keyField) && rows.length > 0 && input.format !== 'json') {
    throw new ItemsFileError(`the column "${keyField}" (the item key) is missing from the header`);
  }

  // Trailing blank rows are what spreadsheets leave behind; ignore them without a word.
  let end = rows.length;
  while (end > 0 && Object.values(rows[end - 1].cells).every(isBlank)) end--;

  const items: LoadedItem[] = [];
  const rejected: RejectedRow[] = [];
  const firstRowOfKey = new Map<string, { row: number; key: string }>();
  for (const [index, { row, cells }] of rows.slice(0, end).entries()) {
    if (index > 0 && index % rowsPerTurn === 0) {
      await new Promise((resolve) => setImmediate(resolve));
      opts.onProgress?.(index);
    }
    if (notAnObject in cells) {
      rejected.push({ row, reason: 'not an object with the item fields' });
      continue;
    }
    if (Object.values(cells).every(isBlank)) {
      warnings.push(`row ${row} is empty and was skipped`);
      continue;
    }
    const byName = new Map<string, unknown>();
    for (const [column, value] of Object.entries(cells)) {
      const name = column.trim().toLowerCase();
      if (!byName.has(name) || isBlank(byName.get(name))) byName.set(name, value);
    }
    const data: Record<string, unknown> = {};
    const problems: string[] = [];
    for (const [name, field] of Object.entries(fields)) {
      const parsed = parseFieldValue(byName.get(name.toLowerCase()), field, opts);
      if (!parsed.ok) problems.push(`${name}: ${parsed.message}`);
      else if (parsed.value !== undefined) data[name] = parsed.value;
    }
    const key = data[keyField] === undefined ? undefined : keyOf(data[keyField]);
    // Workflow and activity ids hold the key made safe (sanitize: letters, digits, _ and -), so
    // two keys that differ only in other characters would meet in one id: a child's start
    // refused mid-run, or a bot job taken for another's.
    const safeKey = sanitize(key ?? '');
    const seen = key === undefined ? undefined : firstRowOfKey.get(safeKey);
    if (problems.length > 0) {
      rejected.push({ row, ...(key === undefined ? {} : { key }), reason: maskString(problems.join('; ')) });
    } else if (key === undefined) {
      rejected.push({ row, reason: `${keyField}: missing` });
    } else if (seen !== undefined) {
      const same =
        seen.key === key
          ? ''
          : ` (${seen.key} there: keys must differ in letters, digits, "-" or "_", the characters workflow ids keep)`;
      rejected.push({
        row,
        key,
        reason: maskString(
          pseudonym
            ? `duplicate key ${key}: the same ${keyField} as row ${seen.row}`
            : `duplicate key ${key}, first seen at row ${seen.row}${same}`,
        ),
      });
    } else {
      firstRowOfKey.set(safeKey, { row, key });
      items.push({ row, key, data });
    }
  }
  return { items, rejected, warnings };
}

/** Field name → the file's column for it (names match case-insensitively); warns on the rest. */
function matchColumns(
  rows: { cells: Record<string, unknown> }[],
  fieldNames: string[],
  warnings: string[],
): Map<string, string> {
  const byLower = new Map(fieldNames.map((f) => [f.toLowerCase(), f]));
  const columnOf = new Map<string, string>();
  const unknown = new Set<string>();
  for (const { cells } of rows) {
    for (const column of Object.keys(cells)) {
      if (column === notAnObject) continue;
      const field = byLower.get(column.trim().toLowerCase());
      if (!field) unknown.add(column);
      else if (!columnOf.has(field)) columnOf.set(field, column);
    }
  }
  const shownUnknown = [...unknown].filter((c) => c.trim() !== '');
  if (shownUnknown.length > 0)
    warnings.push(maskString(`columns not in the definition were ignored: ${shownUnknown.join(', ')}`));
  return columnOf;
}
