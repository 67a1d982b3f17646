/**
 * Parsers for item field values, one per field type in definitions/schema.ts, plus the
 * enum/pattern/min/max constraints of a field definition. Each returns
 * `{ ok: true, value } | { ok: false, message }`; messages are short English text without the
 * field name (the caller prefixes it) and never show a full personnummer.
 */
import type { FieldDefinition, FieldType } from './schema.js';
import { maskString } from '../audit/mask.js';
import { parseOrgnr, parsePersonnummer, type Parsed } from './swedish-ids.js';
import { parseSek } from './sek.js';

export { parseOrgnr, parsePersonnummer, parseSek, type Parsed };

export interface ParseOptions {
  /** "Today" for the century of 10-digit personnummer. @defaultValue new Date() */
  today?: Date;
}

/** A value as it may appear in a message: quoted, shortened, identity numbers masked. */
export function shown(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text =
    value instanceof Date
      ? value.toISOString()
      : typeof value === 'string'
        ? value
        : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(maskString(text.length > 40 ? `${text.slice(0, 40)}…` : text));
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

export function parseString(raw: unknown): Parsed<string> {
  if (typeof raw === 'string') return { ok: true, value: raw.trim() };
  if (typeof raw === 'number' && Number.isFinite(raw)) return { ok: true, value: String(raw) };
  return { ok: false, message: `${shown(raw)} is not text` };
}

export function parseNumber(raw: unknown): Parsed<number> {
  if (typeof raw === 'number')
    return Number.isFinite(raw) ? { ok: true, value: raw } : { ok: false, message: `${shown(raw)} is not a number` };
  // A decimal comma is normal in Swedish spreadsheets; thousand separators are not guessed here.
  if (typeof raw === 'string' && /^\s*[-−]?\d+([.,]\d+)?\s*$/.test(raw)) {
    return { ok: true, value: Number(raw.trim().replace('−', '-').replace(',', '.')) };
  }
  return { ok: false, message: `${shown(raw)} is not a number` };
}

export function parseInteger(raw: unknown): Parsed<number> {
  const n = parseNumber(raw);
  if (!n.ok || !Number.isInteger(n.value)) return { ok: false, message: `${shown(raw)} is not a whole number` };
  return n;
}

const truthy = new Set(['ja', 'true', '1', 'yes']);
const falsy = new Set(['nej', 'false', '0', 'no']);

export function parseBoolean(raw: unknown): Parsed<boolean> {
  if (typeof raw === 'boolean') return { ok: true, value: raw };
  const text = String(raw).trim().toLowerCase();
  if (truthy.has(text)) return { ok: true, value: true };
  if (falsy.has(text)) return { ok: true, value: false };
  return { ok: false, message: `${shown(raw)} is not yes or no (ja/nej, true/false, 1/0)` };
}

const excelEpoch = Date.UTC(1899, 11, 30);

/** 'YYYY-MM-DD'; also a Date (exceljs gives UTC midnight) or an Excel serial day number. */
export function parseDate(raw: unknown): Parsed<string> {
  if (raw instanceof Date) {
    return Number.isNaN(raw.getTime())
      ? { ok: false, message: 'not a valid date' }
      : { ok: true, value: raw.toISOString().slice(0, 10) };
  }
  if (typeof raw === 'number' && Number.isInteger(raw) && raw > 0 && raw < 2958466) {
    return { ok: true, value: new Date(excelEpoch + raw * 86_400_000).toISOString().slice(0, 10) };
  }
  const m = typeof raw === 'string' ? /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(raw) : null;
  if (!m) return { ok: false, message: `${shown(raw)} is not a date (YYYY-MM-DD)` };
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== `${m[1]}-${m[2]}-${m[3]}`) {
    return { ok: false, message: `${shown(raw)} is not a real calendar date` };
  }
  return { ok: true, value: `${m[1]}-${m[2]}-${m[3]}` };
}

export function parseEmail(raw: unknown): Parsed<string> {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(text)) return { ok: true, value: text };
  return { ok: false, message: `${shown(raw)} is not an e-mail address` };
}

function asText(raw: unknown): Parsed<string> {
  if (typeof raw === 'string') return { ok: true, value: raw };
  if (typeof raw === 'number' && Number.isInteger(raw)) return { ok: true, value: String(raw) };
  return { ok: false, message: `${shown(raw)} is not text` };
}

export function parseByType(raw: unknown, type: FieldType, opts: ParseOptions = {}): Parsed<unknown> {
  switch (type) {
    case 'string':
      return parseString(raw);
    case 'number':
      return parseNumber(raw);
    case 'integer':
      return parseInteger(raw);
    case 'boolean':
      return parseBoolean(raw);
    case 'date':
      return parseDate(raw);
    case 'email':
      return parseEmail(raw);
    case 'sek':
      return parseSek(raw);
    case 'personnummer': {
      const t = asText(raw);
      return t.ok ? parsePersonnummer(t.value, opts.today) : t;
    }
    case 'orgnr': {
      const t = asText(raw);
      return t.ok ? parseOrgnr(t.value) : t;
    }
  }
}

/**
 * Parses one value for a field and applies its constraints. A blank value is `missing` when the
 * field is required, else `{ ok: true, value: undefined }`.
 */
export function parseFieldValue(raw: unknown, field: FieldDefinition, opts: ParseOptions = {}): Parsed<unknown> {
  if (isBlank(raw))
    return field.required === false ? { ok: true, value: undefined } : { ok: false, message: 'missing' };
  const parsed = parseByType(raw, field.type, opts);
  if (!parsed.ok) return parsed;
  const problem = constraintProblem(parsed.value, field);
  return problem ? { ok: false, message: problem } : parsed;
}

function constraintProblem(value: unknown, field: FieldDefinition): string | undefined {
  if (field.enum && !field.enum.includes(String(value)))
    return `${shown(value)} is not one of ${field.enum.join(', ')}`;
  if (field.pattern !== undefined && typeof value === 'string' && !new RegExp(field.pattern).test(value)) {
    return `${shown(value)} does not match the pattern ${field.pattern}`;
  }
  const size =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && (field.type === 'string' || field.type === 'email')
        ? value.length
        : undefined;
  if (size === undefined) return undefined;
  const what = typeof value === 'number' ? shown(value) : `${shown(value)} (${size} characters)`;
  if (field.min !== undefined && size < field.min) return `${what} is less than the minimum ${field.min}`;
  if (field.max !== undefined && size > field.max) return `${what} is more than the maximum ${field.max}`;
  return undefined;
}
