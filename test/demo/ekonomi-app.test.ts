import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { resolveTrouble } from '../../demo/common/index.js';
import { startEkonomi, type EkonomiOptions, type RunningEkonomi } from '../../demo/ekonomi/server.js';
import { HttpSession } from './ekonomi-http.js';

const dir = mkdtempSync(join(tmpdir(), 'ekonomi-app-'));
const started: RunningEkonomi[] = [];
let dbCount = 0;

async function start(extra: Partial<EkonomiOptions> = {}): Promise<RunningEkonomi> {
  const app = await startEkonomi({
    port: 0,
    dbFile: join(dir, `db${++dbCount}.sqlite`),
    username: 'robot',
    password: 'hemligt',
    trouble: false,
    ...extra,
  });
  started.push(app);
  return app;
}

async function loggedIn(app: RunningEkonomi): Promise<HttpSession> {
  const http = new HttpSession(app.url);
  expect((await http.login('robot', 'hemligt')).status).toBe(303);
  return http;
}

const valid = {
  invoiceNumber: 'F-1001',
  orgnr: '559900-0014',
  amount: '1 234,50',
  dueDate: '2099-12-31',
  costCentre: '1100',
  reference: '',
};

afterEach(async () => {
  await Promise.all(started.splice(0).map((a) => a.close()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Ekonomisystemet over HTTP', () => {
  it('requires a login and sends the user back where they were going', async () => {
    const app = await start();
    const http = new HttpSession(app.url);
    const res = await http.get('/fakturor?sida=2');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Ffakturor%3Fsida%3D2');
    const wrong = await http.post('/login', { username: 'robot', password: 'fel', next: '/fakturor' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Fel användarnamn eller lösenord.');
    const ok = await http.post('/login', { username: 'robot', password: 'hemligt', next: '/fakturor' });
    expect(ok.headers.get('location')).toBe('/fakturor');
    expect((await http.get('/fakturor')).status).toBe(200);
    expect((await http.post('/logout', {})).status).toBe(303);
    expect((await http.get('/fakturor')).status).toBe(303);
  });

  it('finds a seeded supplier by organisationsnummer with or without the hyphen', async () => {
    const http = await loggedIn(await start());
    const page = await (await http.get('/leverantorer?orgnr=5599000014')).text();
    expect(page).toContain('Norrlands Kontorsmaterial AB');
    expect(await (await http.get('/leverantorer?orgnr=559900-9999')).text()).toContain('Ingen leverantör hittades');
  });

  it('registers an invoice, redirects to a receipt with a registration number', async () => {
    const app = await start();
    const http = await loggedIn(app);
    const res = await http.post('/fakturor/ny', { ...valid, reference: 'run-1/F-1001' });
    expect(res.status).toBe(303);
    const receipt = await (await http.get(res.headers.get('location')!)).text();
    expect(receipt).toMatch(new RegExp(`data-testid="registreringsnummer">LF-${new Date().getFullYear()}-000001<`));
    expect(receipt).toContain('1 234,50 kr');
    expect(app.db.countInvoices('F-1001')).toBe(1);
  });

  it.each([
    [{ orgnr: '5599009015' }, 'Leverantören med organisationsnummer 559900-9015 finns inte i leverantörsregistret.'],
    [{ orgnr: '559900-0015' }, 'Organisationsnummer 559900-0015 är inte giltigt'],
    [{ amount: '12,3,4' }, 'Beloppet 12,3,4 är inte ett giltigt belopp (skriv t.ex. 1 234,50).'],
    [{ dueDate: '2020-01-31' }, 'Förfallodatum 2020-01-31 har redan passerat.'],
    [{ dueDate: '2027-02-30' }, 'Förfallodatum 2027-02-30 är inte ett giltigt datum (ÅÅÅÅ-MM-DD).'],
    [{ costCentre: '' }, 'Välj ett kostnadsställe.'],
  ])('shows the validation error for %o', async (change, message) => {
    const app = await start();
    const http = await loggedIn(app);
    const res = await http.post('/fakturor/ny', { ...valid, ...change });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('Fakturan kunde inte registreras');
    expect(page).toContain(message);
    expect(app.db.countInvoices()).toBe(0);
  });

  it('refuses a duplicate invoice number for the supplier, but a double post racing past the check lands twice', async () => {
    const app = await start({ processingMs: 200 });
    const http = await loggedIn(app);
    expect((await http.post('/fakturor/ny', valid)).status).toBe(303);
    const again = await http.post('/fakturor/ny', valid);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('Fakturanummer F-1001 är redan registrerat för leverantören (LF-');
    const racing = await Promise.all(
      [1, 2].map(() => http.post('/fakturor/ny', { ...valid, invoiceNumber: 'F-2002' })),
    );
    expect(racing.map((r) => r.status)).toEqual([303, 303]);
    expect(app.db.countInvoices('F-2002')).toBe(2);
  });

  it('pages the invoice list 20 at a time and searches by invoice number', async () => {
    const app = await start();
    for (let i = 1; i <= 45; i++) {
      app.db.insertInvoice({
        invoiceNumber: `P-${i}`,
        supplierOrgnr: '559900-0014',
        amountOre: 100 * i,
        dueDate: '2099-01-01',
        costCentre: '1100',
        reference: '',
        registeredBy: 'test',
      });
    }
    const http = await loggedIn(app);
    const first = await (await http.get('/fakturor')).text();
    expect(first).toContain('Sida 1 av 3');
    expect(first.match(/<td>P-\d+<\/td>/g)).toHaveLength(20);
    expect(first).toContain('<td>P-45</td>');
    expect(first).toContain('rel="next"');
    const last = await (await http.get('/fakturor?sida=3')).text();
    expect(last).toContain('Sida 3 av 3');
    expect(last.match(/<td>P-\d+<\/td>/g)).toEqual([
      '<td>P-5</td>',
      '<td>P-4</td>',
      '<td>P-3</td>',
      '<td>P-2</td>',
      '<td>P-1</td>',
    ]);
    expect(last).not.toContain('rel="next"');
    const found = await (await http.get('/fakturor?sok=P-17')).text();
    expect(found.match(/<td>P-\d+<\/td>/g)).toEqual(['<td>P-17</td>']);
    const escaped = await (await http.get('/fakturor?sok=%3Cscript%3E')).text();
    expect(escaped).toContain('value="&lt;script&gt;"');
    expect(escaped).not.toContain('<script>');
  });

  it('answers 503 "Tjänsten är tillfälligt otillgänglig" at errorRate 1', async () => {
    const app = await start({ trouble: { errorRate: 1, slowRate: 0, sessionExpiryRate: 0 } });
    const res = await new HttpSession(app.url).get('/login');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('Tjänsten är tillfälligt otillgänglig');
  });

  it('replays the same trouble for the same seed', async () => {
    const statuses = async () => {
      const app = await start({ trouble: { errorRate: 0.5, slowRate: 0, sessionExpiryRate: 0, seed: 42 } });
      const http = new HttpSession(app.url);
      const out: number[] = [];
      for (let i = 0; i < 12; i++) out.push((await http.get('/login')).status);
      return out;
    };
    const first = await statuses();
    expect(first).toContain(503);
    expect(first).toContain(200);
    expect(await statuses()).toEqual(first);
  });

  it('drops the session at sessionExpiryRate 1 and says so on the login page', async () => {
    const app = await start({ trouble: { errorRate: 0, slowRate: 0, sessionExpiryRate: 1 } });
    const http = await loggedIn(app);
    const res = await http.get('/fakturor');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Ffakturor&orsak=utgangen');
    expect(await (await http.get(res.headers.get('location')!)).text()).toContain(
      'Din session har gått ut. Logga in igen.',
    );
  });

  it('expires a session left idle longer than sessionIdleMs', async () => {
    const app = await start({ sessionIdleMs: 150 });
    const http = await loggedIn(app);
    expect((await http.get('/fakturor')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300)); // the idle timeout itself is what is under test
    expect((await http.get('/fakturor')).status).toBe(303);
  });

  it('refuses trouble rates outside 0..1 and honours DEMO_TROUBLE=off', async () => {
    await expect(start({ trouble: { errorRate: 2 } })).rejects.toThrow(
      'trouble.errorRate must be between 0 and 1, got 2',
    );
    expect(resolveTrouble({ errorRate: 1, sessionExpiryRate: 1 }, { DEMO_TROUBLE: 'off' })).toMatchObject({
      errorRate: 0,
      sessionExpiryRate: 0,
      slowRate: 0,
    });
    expect(resolveTrouble(undefined, {})).toMatchObject({ errorRate: 0.02, sessionExpiryRate: 0.01, slowRate: 0.05 });
  });
});
