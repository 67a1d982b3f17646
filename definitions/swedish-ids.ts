/**
 * Swedish identity numbers: personnummer (incl. samordningsnummer) and organisationsnummer.
 * Pure functions; messages never show a full personnummer (masked by audit/mask.ts, the one rule).
 */
import { maskString } from '../audit/mask.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Luhn check over the 10-digit form (YYMMDDNNNC). */
export function luhnValid(tenDigits: string): boolean {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let d = Number(tenDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

const pnrShape = /^(\d{2})?(\d{2})(\d{2})(\d{2})([-+])?(\d{4})$/;

/**
 * Accepts YYMMDD-NNNN, YYMMDD+NNNN (100 years or older), YYMMDDNNNN, YYYYMMDD-NNNN, YYYYMMDDNNNN.
 * Samordningsnummer (day + 60) are accepted and kept as written. Returns 'YYYYMMDD-NNNN'.
 */
export function parsePersonnummer(raw: string, today: Date = new Date()): Parsed<string> {
  const text = raw.trim();
  const shown = JSON.stringify(maskString(text.length > 40 ? `${text.slice(0, 40)}…` : text));
  const m = pnrShape.exec(text);
  if (!m) return { ok: false, message: `${shown} is not a personnummer (YYYYMMDD-NNNN or YYMMDD-NNNN)` };
  const [, century, yy, mm, dd, sep, tail] = m;
  if (century && sep === '+') return { ok: false, message: `${shown}: '+' is only used with a 6-digit date` };
  const ten = `${yy}${mm}${dd}${tail}`;
  if (!luhnValid(ten)) return { ok: false, message: `personnummer ${shown} fails the check digit` };
  const month = Number(mm);
  const rawDay = Number(dd);
  const day = rawDay > 60 ? rawDay - 60 : rawDay;
  const year = century ? Number(`${century}${yy}`) : inferYear(Number(yy), month, day, sep === '+', today);
  if (!isRealDate(year, month, day)) return { ok: false, message: `personnummer ${shown} has no valid date` };
  return { ok: true, value: `${year}${mm}${dd}-${tail}` };
}

/** The latest year ending in yy whose date is not in the future; '+' means 100 years earlier. */
function inferYear(yy: number, month: number, day: number, hundredPlus: boolean, today: Date): number {
  const thisYear = today.getFullYear();
  let year = thisYear - ((((thisYear - yy) % 100) + 100) % 100);
  const birth = Date.UTC(year, month - 1, day);
  const now = Date.UTC(thisYear, today.getMonth(), today.getDate());
  if (birth > now) year -= 100;
  return hundredPlus ? year - 100 : year;
}

/** NNNNNN-NNNN or NNNNNNNNNN, optionally prefixed '16'. Third digit >= 2 (legal persons). */
export function parseOrgnr(raw: string): Parsed<string> {
  const text = raw.trim();
  const shown = JSON.stringify(maskString(text.length > 40 ? `${text.slice(0, 40)}…` : text));
  const m = /^(?:16)?(\d{6})-?(\d{4})$/.exec(text);
  if (!m) return { ok: false, message: `${shown} is not an organisationsnummer (NNNNNN-NNNN)` };
  const ten = m[1] + m[2];
  if (Number(ten[2]) < 2) {
    return {
      ok: false,
      message: `${shown} is not an organisationsnummer (third digit must be 2 or more; a personnummer is not accepted)`,
    };
  }
  if (!luhnValid(ten)) return { ok: false, message: `organisationsnummer ${shown} fails the check digit` };
  return { ok: true, value: `${m[1]}-${m[2]}` };
}
