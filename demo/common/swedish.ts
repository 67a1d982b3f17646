/**
 * Swedish formats the demo systems accept and print: Luhn check digits (organisationsnummer,
 * personnummer) and amounts in kronor written "1 234,50".
 */

/** Luhn (mod 10) over the digits of `value`, ignoring "-" and spaces. */
export function luhnValid(value: string): boolean {
  const digits = value.replace(/[-\s]/g, '');
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The check digit that makes `nineDigits` + digit Luhn-valid. */
export function luhnCheckDigit(nineDigits: string): number {
  for (let d = 0; d <= 9; d++) if (luhnValid(nineDigits + d)) return d;
  throw new Error(`no Luhn check digit for ${nineDigits}`);
}

/**
 * "1 234,50", "1234,5", "1234" or "1234.50" → öre (integer). Returns undefined for anything else
 * ("12,3,4", "abc", negative amounts).
 */
export function parseSek(text: string): number | undefined {
  const t = text.replace(/[\s\u00a0]/g, '').replace(/kr$/i, '');
  const m = /^(\d+)(?:[,.](\d{1,2}))?$/.exec(t);
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}

/** öre → "1 234,50" (a plain space groups thousands, as staff type it). */
export function formatSek(ore: number): string {
  const kronor = Math.floor(ore / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${kronor},${String(ore % 100).padStart(2, '0')}`;
}
