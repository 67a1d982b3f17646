/**
 * The ~60 fictional residents Ärendesystemet is seeded with. Deterministic (seeded PRNG), so the
 * sample-data generator can produce applications that match — or deliberately differ from — the
 * registered addresses. Birth numbers 980–999 keep the numbers out of the ordinary series and
 * mark them as test data; a few are samordningsnummer (day + 60).
 */
import { seededRandom } from '../common/prng.js';
import { withCheckDigit } from './personnummer.js';

export interface Resident {
  personnummer: string;
  name: string;
  address: string;
}

const firstNames = [
  'Astrid',
  'Björn',
  'Cecilia',
  'David',
  'Elsa',
  'Fredrik',
  'Greta',
  'Hampus',
  'Ingrid',
  'Johan',
  'Karin',
  'Lars',
  'Maja',
  'Nils',
  'Olivia',
  'Per',
  'Ronja',
  'Sven',
  'Tove',
  'Ulf',
  'Vera',
  'Åke',
  'Ebba',
  'Östen',
];
const lastNames = [
  'Andersson',
  'Berg',
  'Carlsson',
  'Dahl',
  'Eriksson',
  'Forsberg',
  'Gustafsson',
  'Holm',
  'Isaksson',
  'Johansson',
  'Karlsson',
  'Lindqvist',
  'Magnusson',
  'Nyström',
  'Olsson',
  'Persson',
  'Sjöberg',
  'Åberg',
  'Öberg',
];
const streets = [
  'Storgatan',
  'Kyrkogatan',
  'Björkvägen',
  'Skolgatan',
  'Ängsvägen',
  'Hamngatan',
  'Tallstigen',
  'Järnvägsgatan',
  'Lärkvägen',
  'Östra Långgatan',
  'Sjövägen',
  'Rosengången',
];
const towns: Array<[string, string]> = [
  ['123 45', 'Avlastad'],
  ['123 51', 'Avlastad'],
  ['123 62', 'Norrby'],
  ['123 70', 'Söderviken'],
  ['123 81', 'Ekbacken'],
];

export function seedResidents(count = 60, seed = 4102): Resident[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const residents: Resident[] = [];
  const seen = new Set<string>();
  while (residents.length < count) {
    const year = 1935 + Math.floor(random() * 80);
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    // Every tenth resident has a samordningsnummer (day of birth + 60).
    const samordning = residents.length % 10 === 9;
    const serial = 980 + Math.floor(random() * 20);
    const pad = (n: number) => String(n).padStart(2, '0');
    const pnr = withCheckDigit(`${year}${pad(month)}${pad(samordning ? day + 60 : day)}-${serial}`);
    if (seen.has(pnr)) continue;
    seen.add(pnr);
    const [postcode, town] = pick(towns);
    residents.push({
      personnummer: pnr,
      name: `${pick(firstNames)} ${pick(lastNames)}`,
      address: `${pick(streets)} ${1 + Math.floor(random() * 60)}, ${postcode} ${town}`,
    });
  }
  return residents;
}
