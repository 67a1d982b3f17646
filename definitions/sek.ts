/** Amounts in Swedish kronor as people type them in spreadsheets and forms. Pure. */
import type { Parsed } from './swedish-ids.js';

// Normal, non-breaking, narrow non-breaking and thin spaces all appear as thousand separators.
const group = '[ \\u00a0\\u202f\\u2009]';
const amountShape = new RegExp(`^([-−])?(\\d{1,3}(?:${group}\\d{3})+|\\d+)(?:[.,](\\d{1,2}))?$`);

/**
 * '1 234,50', '1234.50', '1 234', '1234,5', optional 'kr'/'SEK' suffix, or a JSON number.
 * Refuses ambiguous forms ('1,234.50', '1.234,50') and more than two decimals.
 * Value: kronor as a number (1234.5).
 */
export function parseSek(raw: unknown): Parsed<number> {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return { ok: false, message: `${raw} is not an amount in SEK` };
    if (Math.abs(Math.round(raw * 100) - raw * 100) > 1e-6)
      return { ok: false, message: `${raw} has more than 2 decimals` };
    return { ok: true, value: raw };
  }
  if (typeof raw !== 'string') return { ok: false, message: `${JSON.stringify(raw)} is not an amount in SEK` };
  const shown = JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);
  const text = raw.trim().replace(/\s*(kr\.?|sek)$/i, '');
  const m = amountShape.exec(text);
  if (!m) {
    if (/^[-−]?[\d \u00a0\u202f\u2009]*[.,]\d{3,}$/.test(text))
      return { ok: false, message: `${shown} has more than 2 decimals` };
    return { ok: false, message: `${shown} is not an amount in SEK` };
  }
  const [, minus, whole, decimals] = m;
  const value = Number(`${whole.replace(new RegExp(group, 'g'), '')}.${decimals ?? '0'}`);
  return { ok: true, value: minus ? -value : value };
}
