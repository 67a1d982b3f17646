/**
 * Server-side checks of the invoice form, with the Swedish messages the page shows next to each
 * field. Bots report these texts verbatim as business errors.
 */
import { luhnValid, parseSek } from '../common/index.js';
import type { EkonomiDb, NewInvoice } from './db.js';
import { costCentres } from './suppliers-seed.js';

export interface InvoiceForm {
  invoiceNumber?: string;
  orgnr?: string;
  amount?: string;
  dueDate?: string;
  costCentre?: string;
  reference?: string;
}

export type FieldName = keyof InvoiceForm;
export type FormErrors = Partial<Record<FieldName, string>>;

/** "5599000014" or "559900-0014" → "559900-0014"; undefined when not 10 digits. */
export function normaliseOrgnr(text: string): string | undefined {
  const m = /^(\d{6})-?(\d{4})$/.exec(text.trim());
  return m ? `${m[1]}-${m[2]}` : undefined;
}

function isRealDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

/** Today in Stockholm as YYYY-MM-DD (the date staff see on their wall calendar). */
export function todayInStockholm(now: Date = new Date()): string {
  return now.toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
}

export function validateInvoice(
  form: InvoiceForm,
  db: EkonomiDb,
  registeredBy: string,
  now: Date = new Date(),
): { ok: true; invoice: NewInvoice } | { ok: false; errors: FormErrors } {
  const errors: FormErrors = {};
  const invoiceNumber = (form.invoiceNumber ?? '').trim();
  if (!invoiceNumber) errors.invoiceNumber = 'Fakturanummer måste anges.';
  else if (!/^[A-Za-z0-9_\-/.]{1,30}$/.test(invoiceNumber)) {
    errors.invoiceNumber = 'Fakturanummer får bara innehålla bokstäver A–Z, siffror och - _ / . (högst 30 tecken).';
  }

  const orgnrText = (form.orgnr ?? '').trim();
  const orgnr = normaliseOrgnr(orgnrText);
  if (!orgnrText) errors.orgnr = 'Organisationsnummer måste anges.';
  else if (!orgnr || !luhnValid(orgnr))
    errors.orgnr = `Organisationsnummer ${orgnrText} är inte giltigt (NNNNNN-NNNN med korrekt kontrollsiffra).`;
  else if (!db.supplier(orgnr))
    errors.orgnr = `Leverantören med organisationsnummer ${orgnr} finns inte i leverantörsregistret.`;

  const amountOre = parseSek(form.amount ?? '');
  if (!(form.amount ?? '').trim()) errors.amount = 'Belopp måste anges.';
  else if (amountOre === undefined || amountOre <= 0)
    errors.amount = `Beloppet ${form.amount} är inte ett giltigt belopp (skriv t.ex. 1 234,50).`;

  const dueDate = (form.dueDate ?? '').trim();
  if (!dueDate) errors.dueDate = 'Förfallodatum måste anges.';
  else if (!isRealDate(dueDate)) errors.dueDate = `Förfallodatum ${dueDate} är inte ett giltigt datum (ÅÅÅÅ-MM-DD).`;
  else if (dueDate < todayInStockholm(now)) errors.dueDate = `Förfallodatum ${dueDate} har redan passerat.`;

  const costCentre = (form.costCentre ?? '').trim();
  if (!costCentres.some((c) => c.code === costCentre)) errors.costCentre = 'Välj ett kostnadsställe.';

  const reference = (form.reference ?? '').trim();
  if (reference.length > 200) errors.reference = 'Referensen får vara högst 200 tecken.';

  if (!errors.invoiceNumber && orgnr && !errors.orgnr) {
    const existing = db.sameInvoice(orgnr, invoiceNumber)[0];
    if (existing) {
      errors.invoiceNumber = `Fakturanummer ${invoiceNumber} är redan registrerat för leverantören (${existing.registrationNumber}).`;
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    invoice: {
      invoiceNumber,
      supplierOrgnr: orgnr!,
      amountOre: amountOre!,
      dueDate,
      costCentre,
      reference,
      registeredBy,
    },
  };
}
