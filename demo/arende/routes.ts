/** Ärendesystemet's routes, added to the demo app factory (which already requires a login). */
import type { FastifyInstance } from 'fastify';
import { html, type DemoKit } from '../common/index.js';
import type { ArendeDb } from './db.js';
import { caseListPage, casePage, lookupPage, startPage } from './pages-cases.js';
import { caseFieldsFrom } from './validation.js';
import { wizardRoutes } from './wizard-routes.js';
import { parsePersonnummer } from './personnummer.js';

export function arendeRoutes(db: ArendeDb) {
  return (app: FastifyInstance, kit: DemoKit) => {
    app.get('/', async (req, reply) => kit.send(req, reply, startPage()));

    app.get('/invanare', async (req, reply) => kit.send(req, reply, lookupPage('', undefined, [])));
    app.post('/invanare', async (req, reply) => {
      const { personnummer } = caseFieldsFrom(req.body);
      const parsed = personnummer
        ? parsePersonnummer(personnummer)
        : { ok: false as const, error: 'Ange personnummer.' };
      if (!parsed.ok)
        return kit.send(
          req,
          reply,
          lookupPage(personnummer, undefined, [{ field: 'personnummer', message: parsed.error }]),
        );
      return kit.send(req, reply, lookupPage(personnummer, db.findResident(parsed.value) ?? null, []));
    });

    app.get<{ Querystring: { referens?: string } }>('/arenden', async (req, reply) => {
      const reference = (req.query.referens ?? '').trim();
      return kit.send(req, reply, caseListPage(reference, db.searchCases(reference)));
    });

    wizardRoutes(app, kit, db);

    app.get<{ Params: { id: string }; Querystring: { sparat?: string } }>('/arenden/:id', async (req, reply) => {
      const row = /^\d+$/.test(req.params.id) ? db.getCaseById(Number(req.params.id)) : undefined;
      if (!row) return kit.send(req, reply, { title: 'Ärendet finns inte', body: caseNotFound(), status: 404 });
      return kit.send(req, reply, casePage(row, req.query.sparat === '1'));
    });
  };
}

function caseNotFound() {
  return html`<p role="alert">Det finns inget ärende med det numret.</p>
    <p><a href="/arenden">Till ärendelistan</a></p>`;
}
