/**
 * Sharing an automation with another city: `avlasta pack supplier-invoices` in Avlasta's own
 * project (the demo's definition and bots), `avlasta add` of the .tgz into a fresh city project,
 * which configures the system the package names and runs the automation through the real
 * processes (Temporal worker, bot worker, `avlasta serve`) against the demo's Ekonomisystemet.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument, stringify } from 'yaml';
import { startEkonomi, type RunningEkonomi } from '../../demo/ekonomi/server.js';
import { supplierSeeds } from '../../demo/ekonomi/suppliers-seed.js';
import { packageLayout } from '../../share/manifest.js';
import { readTgz, writeTgz } from '../../share/tgz.js';
import { chromiumPath } from '../support/chromium-path.js';
import { installAvlasta, ownCityProject, repo, type CityProject } from '../support/city-project.js';

const work = mkdtempSync(join(tmpdir(), 'avlasta-share-'));
const project = join(work, 'other-city');
const id = randomUUID().slice(0, 8);
const credentials = { username: 'robot', password: 'hemligt-losen' };
let ekonomi: RunningEkonomi;
let city: CityProject;
let packageFile: string;

beforeAll(async () => {
  ekonomi = await startEkonomi({ port: 0, dbFile: join(work, 'ekonomi.db'), ...credentials, trouble: false });
  mkdirSync(project);
  installAvlasta(project);
  writeFileSync(
    join(project, 'avlasta.config.yaml'),
    `# The other city's own settings\nchromiumPath: ${chromiumPath}\n`,
  );
  city = ownCityProject(project, 'share');
});

afterAll(async () => {
  await city?.stop();
  await city?.removeQueues(['ekonomi']);
  await ekonomi?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('avlasta pack and avlasta add', () => {
  it('packs the definition, only the bots it uses with their files, a configuration template and a README', async () => {
    // In Avlasta's own project, with its own (demo) configuration.
    const packed = await city.avlasta(
      ['pack', 'supplier-invoices', '--out', work],
      { AVLASTA_CONFIG: undefined },
      repo,
    );
    expect(packed.stderr).toBe('');
    expect(packed.code).toBe(0);
    packageFile = join(work, 'avlasta-supplier-invoices-1.0.0.tgz');
    const files = readTgz(readFileSync(packageFile));
    expect([...files.keys()].sort()).toEqual([
      'README.md',
      'automations/supplier-invoices.yaml',
      'bots/kronor.js',
      'bots/lookup-supplier.js',
      'bots/orgnr.js',
      'bots/read-table.js',
      'bots/register-invoice.js',
      'bots/session.js',
      'config-template.yaml',
      'index.js',
      'package.json',
    ]);
    const bot = files.get('bots/register-invoice.js')!.toString();
    expect(bot).toContain("from 'avlasta/bot'");
    expect(bot).not.toMatch(/from '\.\.\//);
    const template = files.get('config-template.yaml')!.toString();
    expect(template).toContain('username: env:AVLASTA_EKONOMI_USER');
    expect(template).not.toContain('4101'); // the packing city's address stays home
    expect(files.get('README.md')!.toString()).toContain(
      '`ekonomi` (queue `bots.ekonomi`): secrets `username`, `password`',
    );
  });

  it('refuses a package whose bot ids the installation already has, writing nothing', async () => {
    const clashing = join(work, 'clashing');
    mkdirSync(clashing);
    writeFileSync(join(clashing, 'avlasta.config.yaml'), stringify({ bots: [join(repo, 'bots')] }));
    const added = await city.avlasta(
      ['add', packageFile],
      { AVLASTA_CONFIG: join(clashing, 'avlasta.config.yaml') },
      clashing,
    );
    expect(added.code).toBe(1);
    expect(added.stderr).toContain('already has bots ekonomi.lookup-supplier, ekonomi.register-invoice');
    expect(existsSync(join(clashing, 'packages'))).toBe(false);
    expect(existsSync(join(clashing, 'automations'))).toBe(false);
  });

  it('removes what it wrote, folders included, when the definition is not valid here', async () => {
    const files = readTgz(readFileSync(packageFile));
    const definition = packageLayout.definition('supplier-invoices');
    files.set(definition, Buffer.from(`${files.get(definition)!.toString('utf8')}\nnotAField: true\n`));
    const broken = join(work, 'broken.tgz');
    writeFileSync(broken, writeTgz(files));
    const target = join(work, 'refused');
    mkdirSync(target);
    installAvlasta(target);
    writeFileSync(join(target, 'avlasta.config.yaml'), '# a city\n');
    const added = await city.avlasta(['add', broken], { AVLASTA_CONFIG: join(target, 'avlasta.config.yaml') }, target);
    expect(added.code).toBe(1);
    expect(added.stderr).toContain('not valid here');
    expect(readdirSync(target).sort()).toEqual(['avlasta.config.yaml', 'node_modules']);
  });

  it('installs into a fresh project, lists what to configure, and runs there once configured', async () => {
    const added = await city.avlasta(['add', packageFile]);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('definition: ');
    expect(added.stdout).toMatch(
      /system "ekonomi": add it under systems: .* with its baseUrl and secrets username, password/,
    );
    const configText = readFileSync(join(project, 'avlasta.config.yaml'), 'utf8');
    expect(configText).toContain("# The other city's own settings");
    expect(parseDocument(configText).toJS()).toMatchObject({ bots: ['./packages/supplier-invoices/index.js'] });
    expect((await city.avlasta(['add', packageFile])).stderr).toContain(
      'automation "supplier-invoices" is already here',
    );

    // The city configures the system the package named, its own way.
    const config = parseDocument(configText);
    config.set('systems', {
      ekonomi: {
        baseUrl: ekonomi.url,
        concurrency: 2,
        secrets: { username: 'env:CITY_EKONOMI_USER', password: 'env:CITY_EKONOMI_PASSWORD' },
      },
    });
    writeFileSync(join(project, 'avlasta.config.yaml'), config.toString());
    Object.assign(city.env, { CITY_EKONOMI_USER: credentials.username, CITY_EKONOMI_PASSWORD: credentials.password });
    expect(await city.avlasta(['validate', 'automations/supplier-invoices.yaml'])).toMatchObject({
      code: 0,
      stdout: '1 definition valid\n',
    });

    const signedIn = await city.startStack('olle');
    const invoices = supplierSeeds.slice(0, 3).map((supplier, i) => ({
      invoiceNumber: `DELAD-${id}-${i + 1}`,
      orgnr: supplier.orgnr,
      amount: 1200 + i * 100,
      dueDate: '2099-12-31',
      costCentre: '3100',
    }));
    writeFileSync(join(project, 'invoices.json'), JSON.stringify(invoices));
    const run = await city.avlasta(
      ['run', 'start', 'supplier-invoices', 'invoices.json', '--run-key', id, '--wait'],
      signedIn,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('3 to run');
    expect(run.stdout).toContain('of the 3 run: 3 done');
    for (const invoice of invoices) expect(ekonomi.db.countInvoices(invoice.invoiceNumber)).toBe(1);
  }, 240_000);
});
