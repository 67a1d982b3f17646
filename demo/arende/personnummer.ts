/**
 * Swedish personnummer and samordningsnummer as Ärendesystemet stores them: twelve digits with a
 * hyphen, "YYYYMMDD-NNNC". C is the Luhn check digit over the ten digits YYMMDDNNN.
 * A samordningsnummer has 60 added to the day of birth.
 */
import { luhnCheckDigit } from '../common/index.js';

/** "YYYYMMDD-NNN" → "YYYYMMDD-NNNC" with the correct check digit. */
export function withCheckDigit(withoutCheck: string): string {
  const digits = withoutCheck.replace('-', '');
  return `${withoutCheck}${luhnCheckDigit(digits.slice(2, 11))}`;
}

const shape = /^(\d{4})(\d{2})(\d{2})-?(\d{3})(\d)$/;

/**
 * Accepts "YYYYMMDD-NNNC" or "YYYYMMDDNNNC"; returns the canonical hyphenated form, or an error
 * text in Swedish naming what is wrong (as the legacy system shows it).
 */
export function parsePersonnummer(input: string): { ok: true; value: string } | { ok: false; error: string } {
  const m = shape.exec(input.trim());
  if (!m) return { ok: false, error: 'Personnumret ska skrivas ÅÅÅÅMMDD-NNNN (12 siffror).' };
  const [, year, month, dayText, serial, check] = m;
  const rawDay = Number(dayText);
  const day = rawDay > 60 ? rawDay - 60 : rawDay; // samordningsnummer
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, day));
  if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== day || day === 0) {
    return { ok: false, error: 'Personnumret innehåller ett datum som inte finns.' };
  }
  const expected = luhnCheckDigit(`${year.slice(2)}${month}${dayText}${serial}`);
  if (expected !== Number(check)) return { ok: false, error: 'Personnumrets kontrollsiffra stämmer inte.' };
  return { ok: true, value: `${year}${month}${dayText}-${serial}${check}` };
}

/** For logs and screenshots' captions: keeps the birth year only, "1972****-****". */
export function maskPersonnummer(value: string): string {
  return value.length >= 4 ? `${value.slice(0, 4)}****-****` : '****';
}
