/**
 * The input file of a chaos run, the same for the same seed: mostly valid invoices of suppliers
 * the target knows; some rows invalid (rejected when the run loads them); some of a supplier the
 * target does not know (the target refuses them: the item fails, with the target's reason).
 */
import { seededRandom } from '../demo/common/index.js';
import { demoOrgnr, supplierSeeds } from '../demo/ekonomi/suppliers-seed.js';

export interface ChaosItems {
  csv: string;
  /** Keys the run must register. */
  valid: string[];
  /** Keys the target must refuse (unknown supplier). */
  refused: string[];
  /** Rows the run must reject at load. */
  invalidRows: number;
}

/** Luhn-valid, in the 559900-9xxx series the demo keeps for suppliers that do not exist. */
const unknownSupplier = demoOrgnr(1, 9);

export function chaosItems(count: number, seed: number): ChaosItems {
  const random = seededRandom(seed);
  const lines = ['invoiceNumber;orgnr;amount;dueDate;costCentre'];
  const valid: string[] = [];
  const refused: string[] = [];
  let invalidRows = 0;
  const centres = ['1100', '2100', '2200', '3100', '3200', '4100', '5100', '6100'];
  for (let i = 1; i <= count; i++) {
    const key = `K${seed}-${String(i).padStart(5, '0')}`;
    const draw = random();
    const supplier = supplierSeeds[Math.floor(random() * supplierSeeds.length)].orgnr;
    const amount = `${Math.floor(random() * 40_000) + 100},${String(Math.floor(random() * 100)).padStart(2, '0')}`;
    const centre = centres[Math.floor(random() * centres.length)];
    if (draw < 0.02) {
      invalidRows++;
      lines.push(`${key};${supplier};-5,00;2099-12-31;${centre}`); // a negative amount
    } else if (draw < 0.04) {
      refused.push(key);
      lines.push(`${key};${unknownSupplier};${amount};2099-12-31;${centre}`);
    } else {
      valid.push(key);
      lines.push(`${key};${supplier};${amount};2099-12-31;${centre}`);
    }
  }
  return { csv: lines.join('\n') + '\n', valid, refused, invalidRows };
}
