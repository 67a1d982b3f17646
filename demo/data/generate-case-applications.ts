/**
 * Writes the sample input of automations/case-registration.yaml, deterministically (same seed →
 * same files): demo/data/case-applications.xlsx (~200 rows) and case-applications.sample.json
 * (10 rows). Run with `npx tsx demo/data/generate-case-applications.ts`.
 *
 * Mix: mostly valid applications of Ärendesystemet's seeded residents; ~10 % state an address
 * other than the registered one (the automation must flag them for approval); ~5 % malformed
 * (wrong check digit, unknown case type, impossible date, missing field: rejected when loading);
 * a few valid personnummer that are not in the register (the lookup finds nobody).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { seededRandom } from '../common/index.js';
import { caseTypes } from '../arende/db.js';
import { withCheckDigit } from '../arende/personnummer.js';
import { seedResidents } from '../arende/residents.js';

export interface CaseApplication {
  applicationId: string;
  personnummer: string;
  caseType: string;
  /** A Date for well-formed rows (an Excel date cell); a string only for the impossible date. */
  applicationDate: Date | string;
  statedAddress: string;
  details: string;
}

const reasons: Record<string, string[]> = {
  [caseTypes[0]]: ['Har svårt att gå längre än 100 meter.', 'Använder rullator, behöver parkera nära bostaden.', 'Förnyelse av tidigare tillstånd.'],
  [caseTypes[1]]: ['Barnet har särskild kost enligt läkarintyg.', 'Hushållet har försörjningsstöd.', 'Barnet äter inte i skolan av medicinska skäl.'],
};
const malformations = ['checkDigit', 'caseType', 'date', 'missing'] as const;

export function generateCaseApplications(count = 200, seed = 2026): CaseApplication[] {
  const random = seededRandom(seed);
  const residents = seedResidents();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  return Array.from({ length: count }, (_, i) => {
    const resident = pick(residents);
    const caseType = pick(caseTypes);
    const day = new Date(Date.UTC(2026, 0, 5) + Math.floor(random() * 290) * 86_400_000);
    const row: CaseApplication = {
      applicationId: `E-2026-${String(i + 1).padStart(5, '0')}`,
      personnummer: resident.personnummer,
      caseType,
      applicationDate: day,
      statedAddress: resident.address,
      details: pick(reasons[caseType]),
    };
    const roll = random();
    if (roll < 0.1) {
      // The applicant gives another address than the registered one: a move not yet registered, a typo.
      row.statedAddress = resident.address.replace(/ \d+,/, ` ${61 + Math.floor(random() * 30)},`);
    } else if (roll < 0.15) {
      malform(row, malformations[i % malformations.length]);
    } else if (roll < 0.17) {
      row.personnummer = withCheckDigit(`20${String(10 + (i % 10)).padStart(2, '0')}0101-97${i % 10}`); // valid, not registered
    }
    return row;
  });
}

function malform(row: CaseApplication, kind: (typeof malformations)[number]): void {
  if (kind === 'checkDigit') row.personnummer = row.personnummer.slice(0, -1) + ((Number(row.personnummer.at(-1)) + 1) % 10);
  if (kind === 'caseType') row.caseType = 'Bygglov för altan';
  if (kind === 'date') row.applicationDate = '2026-02-30';
  if (kind === 'missing') row.statedAddress = '';
}

const isoDate = (d: Date | string) => (typeof d === 'string' ? d : d.toISOString().slice(0, 10));

export async function writeCaseApplicationFiles(dir: string, rows = generateCaseApplications()): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = new Date(Date.UTC(2026, 10, 1)); // fixed, so regenerating changes nothing
  workbook.modified = workbook.created;
  const sheet = workbook.addWorksheet('Ansökningar');
  sheet.columns = [
    { header: 'applicationId', key: 'applicationId', width: 16 },
    { header: 'personnummer', key: 'personnummer', width: 16 },
    { header: 'caseType', key: 'caseType', width: 40 },
    { header: 'applicationDate', key: 'applicationDate', width: 16, style: { numFmt: 'yyyy-mm-dd' } },
    { header: 'statedAddress', key: 'statedAddress', width: 36 },
    { header: 'details', key: 'details', width: 50 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const r of rows) sheet.addRow({ ...r, statedAddress: r.statedAddress || null });
  await workbook.xlsx.writeFile(`${dir}/case-applications.xlsx`);

  // Ten rows that show every kind: valid, a differing address, a malformed and an unknown resident.
  const registered = new Set(seedResidents().map((r) => r.address));
  const differs = rows.findIndex((r, i) => i >= 8 && r.statedAddress !== '' && !registered.has(r.statedAddress));
  const malformed = rows.findIndex((r, i) => i >= 8 && r.caseType === 'Bygglov för altan');
  const picked = [...rows.slice(0, 8), rows[differs], rows[malformed]];
  const json = picked.map((r) => ({ ...r, applicationDate: isoDate(r.applicationDate) }));
  writeFileSync(`${dir}/case-applications.sample.json`, `${JSON.stringify(json, null, 2)}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = fileURLToPath(new URL('.', import.meta.url));
  await writeCaseApplicationFiles(dir.replace(/\/$/, ''));
  console.log(`Wrote ${dir}case-applications.xlsx and case-applications.sample.json`);
}
