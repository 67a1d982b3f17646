/**
 * Server-side validation of the case wizard, with the messages the legacy system shows. Messages
 * never repeat a personnummer back: they end up in bot errors and the audit trail.
 */
import { caseTypes, type CaseFields } from './db.js';
import { parsePersonnummer } from './personnummer.js';

export interface FieldError {
  field: keyof CaseFields;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** Reads the wizard's fields from a form body, trimming and defaulting to ''. */
export function caseFieldsFrom(body: unknown): CaseFields {
  const b = (body ?? {}) as Record<string, unknown>;
  const text = (k: keyof CaseFields) => (typeof b[k] === 'string' ? (b[k] as string).trim() : '');
  return {
    personnummer: text('personnummer'),
    caseType: text('caseType'),
    details: text('details'),
    applicationDate: text('applicationDate'),
    statedAddress: text('statedAddress'),
    externalRef: text('externalRef'),
  };
}

export function validatePersonnummerField(input: string, residentExists: (pnr: string) => boolean): Validated<string> {
  if (!input) return { ok: false, errors: [{ field: 'personnummer', message: 'Ange personnummer.' }] };
  const parsed = parsePersonnummer(input);
  if (!parsed.ok) return { ok: false, errors: [{ field: 'personnummer', message: parsed.error }] };
  if (!residentExists(parsed.value)) {
    return {
      ok: false,
      errors: [{ field: 'personnummer', message: 'Det finns ingen invånare med det personnumret i registret.' }],
    };
  }
  return { ok: true, value: parsed.value };
}

/** Today's date in Stockholm as YYYY-MM-DD (the system's idea of "today"). */
export function todayInStockholm(now = new Date()): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(now);
}

function dateError(value: string, today: string): string | undefined {
  if (!value) return 'Ange ansökningsdatum.';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return 'Ansökningsdatum ska skrivas ÅÅÅÅ-MM-DD.';
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.toISOString().slice(0, 10) !== value) return 'Ansökningsdatum är inte ett giltigt datum.';
  if (value < '2000-01-01') return 'Ansökningsdatum kan inte vara före 2000-01-01.';
  if (value > today) return 'Ansökningsdatum kan inte vara ett framtida datum.';
  return undefined;
}

/** Step 2 (and again on save): everything except the personnummer, which step 1 checked. */
export function validateCaseDetails(f: CaseFields, today = todayInStockholm()): FieldError[] {
  const errors: FieldError[] = [];
  if (!f.caseType) errors.push({ field: 'caseType', message: 'Välj ärendetyp.' });
  else if (!(caseTypes as readonly string[]).includes(f.caseType))
    errors.push({ field: 'caseType', message: 'Okänd ärendetyp.' });
  if (!f.details) errors.push({ field: 'details', message: 'Beskriv ärendet.' });
  else if (f.details.length > 2000)
    errors.push({ field: 'details', message: 'Beskrivningen får vara högst 2000 tecken.' });
  const dateProblem = dateError(f.applicationDate, today);
  if (dateProblem) errors.push({ field: 'applicationDate', message: dateProblem });
  if (f.statedAddress.length < 5)
    errors.push({ field: 'statedAddress', message: 'Ange adressen som sökanden uppgett.' });
  if (f.externalRef.length > 100)
    errors.push({ field: 'externalRef', message: 'Extern referens får vara högst 100 tecken.' });
  return errors;
}
