/**
 * The fictional supplier register Ekonomisystemet starts with: 40 suppliers built deterministically
 * from name parts, with Luhn-valid organisationsnummer in the series 559900-0xxx that the demo
 * reserves (demo/data/generate-supplier-invoices.ts uses 559900-9xxx for unknown suppliers).
 */
import { luhnCheckDigit } from '../common/index.js';

export interface SupplierSeed {
  orgnr: string;
  name: string;
  address: string;
}

const places = [
  'Norrlands',
  'Mälardalens',
  'Västkustens',
  'Skånska',
  'Bergslagens',
  'Upplands',
  'Östgöta',
  'Dalarnas',
  'Smålands',
  'Värmlands',
];
const trades = [
  'Kontorsmaterial',
  'Städservice',
  'Bygg & Montage',
  'IT-konsult',
  'Trädgårdsskötsel',
  'Livsmedelsgrossist',
  'Transport',
  'Elinstallation',
];
const streets = [
  'Storgatan',
  'Kungsgatan',
  'Järnvägsgatan',
  'Industrivägen',
  'Hamngatan',
  'Skolgatan',
  'Verkstadsgatan',
  'Kyrkogatan',
];
const towns: Array<[string, string]> = [
  ['831 30', 'Östersund'],
  ['722 11', 'Västerås'],
  ['411 05', 'Göteborg'],
  ['211 20', 'Malmö'],
  ['702 10', 'Örebro'],
  ['753 20', 'Uppsala'],
  ['582 24', 'Linköping'],
  ['791 71', 'Falun'],
  ['352 31', 'Växjö'],
  ['652 24', 'Karlstad'],
];

/** Organisationsnummer 559900-0NNC for supplier `n` (1-based): clearly a demo series, Luhn-valid. */
export function demoOrgnr(n: number, series = 0): string {
  const nine = `559900${series}${String(n).padStart(2, '0')}`;
  return `${nine.slice(0, 6)}-${nine.slice(6)}${luhnCheckDigit(nine)}`;
}

export const supplierSeeds: SupplierSeed[] = Array.from({ length: 40 }, (_, i) => {
  const place = places[i % places.length];
  const trade = trades[(i * 3) % trades.length];
  const [postcode, town] = towns[(i * 7) % towns.length];
  return {
    orgnr: demoOrgnr(i + 1),
    name: `${place} ${trade} AB`,
    address: `${streets[i % streets.length]} ${((i * 13) % 90) + 1}, ${postcode} ${town}`,
  };
});

export const costCentres: Array<{ code: string; name: string }> = [
  { code: '1100', name: 'Kommunledningskontoret' },
  { code: '2100', name: 'Grundskola' },
  { code: '2200', name: 'Gymnasieskola' },
  { code: '3100', name: 'Äldreomsorg' },
  { code: '3200', name: 'Individ- och familjeomsorg' },
  { code: '4100', name: 'Gata och park' },
  { code: '5100', name: 'Kultur och fritid' },
  { code: '6100', name: 'IT-avdelningen' },
];
