/**
 * A bot package another city shares (test/fixtures/shared-bot-package, its own package.json,
 * importing only `avlasta/bot`), installed into a fresh project beside Avlasta and listed under
 * `bots` in that project's configuration: `avlasta validate` accepts a definition using it, and a
 * run through the real processes (CLI, `avlasta serve`, workers/temporal-worker.ts,
 * workers/bot-worker.ts) drives
 * the target system with it. Nothing under bots/ knows the package.
 */
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startFormApp, type FormApp } from '../fixtures/form-app.js';
import { chromiumPath } from '../support/chromium-path.js';
import { installAvlasta, ownCityProject, type CityProject } from '../support/city-project.js';

const project = mkdtempSync(join(tmpdir(), 'avlasta-city-'));
const id = randomUUID().slice(0, 8);
let app: FormApp;
let city: CityProject;

const automation = {
  id: 'permit-applications',
  title: { sv: 'Tillståndsansökningar', en: 'Permit applications' },
  department: 'Stadsbyggnadsförvaltningen',
  manualMinutesPerItem: 4,
  items: { key: 'caseId', fields: { caseId: { type: 'string' }, applicant: { type: 'string' }, fee: { type: 'sek' } } },
  steps: [
    {
      id: 'register',
      type: 'bot',
      bot: 'permits.register',
      inputs: { applicant: '{{ item.applicant }}', fee: '{{ item.fee }}' },
    },
  ],
};

beforeAll(async () => {
  app = await startFormApp();
  // What `npm install avlasta @other-city/avlasta-permit-bots` leaves in a city's project.
  installAvlasta(project);
  mkdirSync(join(project, 'node_modules', '@other-city'), { recursive: true });
  cpSync(
    fileURLToPath(new URL('../fixtures/shared-bot-package/', import.meta.url)),
    join(project, 'node_modules', '@other-city', 'avlasta-permit-bots'),
    { recursive: true },
  );
  const systems = { permits: { baseUrl: app.baseUrl, concurrency: 1 } };
  writeFileSync(
    join(project, 'avlasta.config.yaml'),
    stringify({ chromiumPath, systems, bots: ['@other-city/avlasta-permit-bots'] }),
  );
  writeFileSync(join(project, 'without-package.yaml'), stringify({ chromiumPath, systems }));
  mkdirSync(join(project, 'automations'));
  writeFileSync(join(project, 'automations', 'permit-applications.yaml'), stringify(automation));
  city = ownCityProject(project, 'shared-bots');
});

afterAll(async () => {
  await city?.stop();
  await city?.removeQueues(['permits']);
  await app?.close();
  rmSync(project, { recursive: true, force: true });
});

describe('a shared bot package', () => {
  it('makes avlasta validate accept a definition that uses its bot', async () => {
    const file = 'automations/permit-applications.yaml';
    const [withPackage, without] = await Promise.all([
      city.avlasta(['validate', file]),
      city.avlasta(['validate', file], { AVLASTA_CONFIG: join(project, 'without-package.yaml') }),
    ]);
    expect(withPackage).toMatchObject({ code: 0, stdout: '1 definition valid\n' });
    expect(without.code).toBe(1);
    expect(without.stderr).toContain('unknown bot "permits.register"');
  });

  it('runs through the Temporal worker and the bot worker, each item registered once', async () => {
    // A run starts through the API, as a signed-in person with the ops role (here an API token).
    const signedIn = await city.startStack('anna');
    const items = [
      { caseId: 'BL-1', applicant: 'Astrid Lindqvist', fee: 1200 },
      { caseId: 'BL-2', applicant: 'Bo Ek', fee: 800 },
    ];
    writeFileSync(join(project, 'applications.json'), JSON.stringify(items));
    const run = await city.avlasta(
      ['run', 'start', 'permit-applications', 'applications.json', '--run-key', id, '--wait'],
      signedIn,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2 to run');
    expect(run.stdout).toContain('of the 2 run: 2 done');
    expect(app.records.map((r) => [r.name, r.amount]).sort()).toEqual([
      ['Astrid Lindqvist', 1200],
      ['Bo Ek', 800],
    ]);
    for (const record of app.records) expect(app.count(record.reference)).toBe(1);
  }, 240_000);
});
