/** The case-registration automation, its sample data and the generator agree with each other. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBots } from '../../bot-runtime/load-bots.js';
import { builtInBotsDir } from '../../config.js';
import { loadDefinitionFile, formatProblem } from '../../definitions/load-definition.js';
import { loadItems } from '../../definitions/items.js';
import { evaluateCondition } from '../../definitions/expressions.js';
import { generateCaseApplications, writeCaseApplicationFiles } from '../../demo/data/generate-case-applications.js';
import { seedResidents } from '../../demo/arende/residents.js';

const dir = mkdtempSync(join(tmpdir(), 'arende-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function definition() {
  const loaded = await loadDefinitionFile('automations/case-registration.yaml', {
    knownBots: new Set((await loadBots({ bots: [builtInBotsDir] })).keys()),
  });
  if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
  return loaded.definition;
}

describe('case-registration sample data', () => {
  it('is generated deterministically and matches the files in the tree', async () => {
    expect(generateCaseApplications()).toEqual(generateCaseApplications());
    await writeCaseApplicationFiles(dir);
    expect(readFileSync(join(dir, 'case-applications.sample.json'), 'utf8')).toBe(
      readFileSync('demo/data/case-applications.sample.json', 'utf8'),
    );
  });

  it('loads ~200 rows: ~5 % rejected as malformed, ~10 % with an address the approval step flags', async () => {
    const def = await definition();
    const { items, rejected } = await loadItems(
      { format: 'xlsx', data: readFileSync('demo/data/case-applications.xlsx') },
      def,
    );
    expect(items.length + rejected.length).toBe(200);
    expect(rejected.length).toBe(10);
    const reasons = rejected.map((r) => r.reason).join('\n');
    for (const kind of ['fails the check digit', 'is not one of', 'not a real calendar date', 'statedAddress: missing'])
      expect(reasons).toContain(kind);
    expect(JSON.stringify(rejected)).not.toMatch(/\d{8}-\d{4}/); // personnummer masked in reasons

    const registered = new Map(seedResidents().map((r) => [r.personnummer, r.address]));
    const approval = def.steps.find((s) => s.id === 'address-check');
    if (approval?.type !== 'approval') throw new Error('automation lacks the address-check approval');
    let flagged = 0;
    for (const item of items) {
      const address = registered.get(item.data.personnummer as string);
      const lookup = address ? { found: true, registeredAddress: address } : { found: false };
      if (
        lookup.found &&
        (await evaluateCondition(approval.when, { item: item.data, steps: { lookup }, vars: {}, run: {} }))
      )
        flagged++;
    }
    expect(flagged).toBeGreaterThanOrEqual(15);
    expect(flagged).toBeLessThanOrEqual(25);
  });

  it('never uses the personnummer as the item key', async () => {
    const def = await definition();
    expect(def.items.key).toBe('applicationId');
    expect(def.items.fields.personnummer.type).toBe('personnummer');
  });
});
