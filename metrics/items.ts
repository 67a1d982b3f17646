/** The items series, from the results the engine records (activities/engine-activities.ts). */
import type { ItemResult } from '../workflows/types.js';
import { itemsFinished, itemsFlagged } from './series.js';

export function countFinishedItems(automation: string, results: ItemResult[]): void {
  for (const r of results) {
    itemsFinished.inc({ automation, outcome: r.outcome });
    if (r.flagged) itemsFlagged.inc({ automation });
  }
}
