/** Ärendesystemet over real HTTP on port 0 with a temporary SQLite file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArende, type RunningArende } from '../../demo/arende/server.js';
import { seedResidents } from '../../demo/arende/residents.js';
import { withCheckDigit } from '../../demo/arende/personnummer.js';
import { Browserless, yesterday } from './arende-http.js';

const dir = mkdtempSync(join(tmpdir(), 'arende-app-'));
const resident = seedResidents()[0];
const credentials = { username: 'robot', password: 'test-losen' };
let calm: RunningArende;

beforeAll(async () => {
  calm = await startArende({ port: 0, dbFile: join(dir, 'calm.sqlite'), ...credentials, trouble: false });
});
afterAll(async () => {
  await calm?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function loggedIn(): Promise<Browserless> {
  const http = new Browserless(calm.url);
  expect((await http.logIn()).status).toBe(303);
  return http;
}

/** Steps 1 and 2; returns the draft's review path. */
async function draft(http: Browserless, details: Record<string, string>): Promise<ReturnType<Browserless['post']>> {
  const step1 = await http.post('/arenden/nytt', { personnummer: resident.personnummer });
  expect(step1.status).toBe(303);
  expect(step1.location).toMatch(/^\/arenden\/utkast\/[\w-]+\/uppgifter$/);
  return http.post(step1.location, details);
}

const validDetails = () => ({
  caseType: 'Parkeringstillstånd för rörelsehindrade',
  details: 'Behöver parkera nära entrén',
  applicationDate: yesterday(),
  statedAddress: resident.address,
  externalRef: 'APP-1',
});

describe('Ärendesystemet', () => {
  it('sends a visitor without a session to the login page, and refuses a wrong password', async () => {
    const http = new Browserless(calm.url);
    const res = await http.get('/arenden');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/login?next=%2Farenden');
    const wrong = await http.logIn('robot', 'fel');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain('Fel användarnamn eller lösenord.');
  });

  it('looks residents up, and says which part of a malformed personnummer is wrong', async () => {
    const http = await loggedIn();
    const found = await http.post('/invanare', { personnummer: resident.personnummer });
    expect(found.body).toContain(resident.address.replace(/&/g, '&amp;'));
    const missing = await http.post('/invanare', { personnummer: withCheckDigit('20000101-980') });
    expect(missing.status).toBe(200);
    expect(missing.body).toContain('Ingen invånare hittades med det personnumret.');
    const badCheck = resident.personnummer.slice(0, -1) + ((Number(resident.personnummer.at(-1)) + 1) % 10);
    const bad = await http.post('/invanare', { personnummer: badCheck });
    expect(bad.status).toBe(422);
    expect(bad.body).toContain('Personnumrets kontrollsiffra stämmer inte.');
  });

  it('rejects an unknown resident in step 1 without echoing the personnummer', async () => {
    const http = await loggedIn();
    const res = await http.post('/arenden/nytt', { personnummer: '19121212-1212' });
    expect(res.status).toBe(422);
    expect(res.body).toContain('Det finns ingen invånare med det personnumret i registret.');
    expect(res.body.match(/19121212-1212/g)).toHaveLength(1); // only the input's own value
  });

  it('validates step 2 on the server: unknown type, impossible and future dates, missing address', async () => {
    const http = await loggedIn();
    const res = await draft(http, {
      caseType: 'Bygglov',
      details: 'x',
      applicationDate: '2026-02-30',
      statedAddress: '',
    });
    expect(res.status).toBe(422);
    for (const text of [
      'Okänd ärendetyp.',
      'Ansökningsdatum är inte ett giltigt datum.',
      'Ange adressen som sökanden uppgett.',
    ]) {
      expect(res.body).toContain(text);
    }
    expect(res.body).toContain('aria-invalid="true"');
    const future = await draft(http, { ...validDetails(), applicationDate: '2999-01-01' });
    expect(future.body).toContain('Ansökningsdatum kan inte vara ett framtida datum.');
  });

  it('saves a reviewed case with a case number, escapes input, and stores a double submission twice', async () => {
    const http = await loggedIn();
    const step2 = await draft(http, { ...validDetails(), details: '<script>alert(1)</script>' });
    expect(step2.status).toBe(303);
    const review = await http.get(step2.location);
    expect(review.body).toContain('<dialog id="bekrafta"');
    expect(review.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(review.body).not.toContain('<script>alert(1)');
    const save = step2.location.replace(/granska$/, 'spara');
    const first = await http.post(save, {});
    expect(first.status).toBe(303);
    const confirmation = await http.get(first.location);
    expect(confirmation.body).toMatch(/ÄR-\d{4}-\d{5}/);
    expect(confirmation.body).toContain('Ärendet är registrerat');
    await http.post(save, {});
    expect(calm.db.searchCases('APP-1').filter((c) => c.externalRef === 'APP-1')).toHaveLength(2);
    const list = await http.get('/arenden?referens=APP-1');
    expect(list.body).toContain('Träffar: 2');
  });
});

describe('Ärendesystemet in trouble (rate 1.0)', () => {
  it('answers every page with 503 but keeps /health up', async () => {
    const app = await startArende({
      port: 0,
      dbFile: ':memory:',
      ...credentials,
      trouble: { errorRate: 1, slowRate: 0, sessionExpiryRate: 0 },
    });
    try {
      const http = new Browserless(app.url);
      const res = await http.get('/login');
      expect(res.status).toBe(503);
      expect(res.body).toContain('Tjänsten är tillfälligt otillgänglig');
      expect((await http.get('/health')).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('expires the session on every logged-in request', async () => {
    const app = await startArende({
      port: 0,
      dbFile: ':memory:',
      ...credentials,
      trouble: { errorRate: 0, slowRate: 0, sessionExpiryRate: 1 },
    });
    try {
      const http = new Browserless(app.url);
      expect((await http.logIn()).status).toBe(303);
      const res = await http.get('/arenden');
      expect(res.status).toBe(303);
      expect(res.location).toBe('/login?next=%2Farenden&orsak=utgangen');
    } finally {
      await app.close();
    }
  });

  it('delays every page when slowRate is 1', async () => {
    const app = await startArende({
      port: 0,
      dbFile: ':memory:',
      ...credentials,
      trouble: { errorRate: 0, slowRate: 1, slowMs: 400, sessionExpiryRate: 0, seed: 3 },
    });
    try {
      const http = new Browserless(app.url);
      const started = performance.now();
      for (let i = 0; i < 5; i++) expect((await http.get('/login')).status).toBe(200);
      expect(performance.now() - started).toBeGreaterThan(300);
    } finally {
      await app.close();
    }
  });
});
