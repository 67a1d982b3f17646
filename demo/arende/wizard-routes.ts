/**
 * "Nytt ärende": step 1 (resident) creates a draft, step 2 (details) updates it, step 3 reviews it
 * and saves after the confirmation dialog. Each POST answers with a redirect (post/redirect/get),
 * so every step page can be reopened by URL — after a 503 or a new login.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, type DemoKit } from '../common/index.js';
import type { ArendeDb, CaseFields } from './db.js';
import { step1Page, step2Page, step3Page } from './pages-wizard.js';
import { caseFieldsFrom, validateCaseDetails, validatePersonnummerField } from './validation.js';

type DraftRequest = FastifyRequest<{ Params: { id: string } }>;

export function wizardRoutes(app: FastifyInstance, kit: DemoKit, db: ArendeDb): void {
  const residentExists = (pnr: string) => db.findResident(pnr) !== undefined;

  /** The draft of this user with its resident, or a 404 page already sent. */
  function loadDraft(req: DraftRequest, reply: FastifyReply) {
    const data = db.getDraft(req.params.id, req.username);
    const resident = data && db.findResident(data.personnummer ?? '');
    if (!data || !resident) {
      kit.send(req, reply, {
        title: 'Utkastet finns inte',
        status: 404,
        body: html`<p role="alert">Utkastet finns inte eller tillhör en annan användare.</p>
          <p><a href="/arenden/nytt">Börja om</a></p>`,
      });
      return undefined;
    }
    return { fields: caseFieldsFrom(data), resident };
  }

  app.get('/arenden/nytt', async (req, reply) => kit.send(req, reply, step1Page('', [])));

  app.post('/arenden/nytt', async (req, reply) => {
    const { personnummer } = caseFieldsFrom(req.body);
    const pnr = validatePersonnummerField(personnummer, residentExists);
    if (!pnr.ok) return kit.send(req, reply, step1Page(personnummer, pnr.errors));
    const id = db.createDraft(req.username, { personnummer: pnr.value });
    return reply.redirect(`/arenden/utkast/${id}/uppgifter`, 303);
  });

  app.get('/arenden/utkast/:id/uppgifter', async (req: DraftRequest, reply) => {
    const draft = loadDraft(req, reply);
    if (draft) return kit.send(req, reply, step2Page(req.params.id, draft.resident, draft.fields, []));
  });

  app.post('/arenden/utkast/:id/uppgifter', async (req: DraftRequest, reply) => {
    const draft = loadDraft(req, reply);
    if (!draft) return;
    const fields: CaseFields = { ...caseFieldsFrom(req.body), personnummer: draft.fields.personnummer };
    const errors = validateCaseDetails(fields);
    if (errors.length) return kit.send(req, reply, step2Page(req.params.id, draft.resident, fields, errors));
    db.updateDraft(req.params.id, { ...fields });
    return reply.redirect(`/arenden/utkast/${req.params.id}/granska`, 303);
  });

  app.get('/arenden/utkast/:id/granska', async (req: DraftRequest, reply) => {
    const draft = loadDraft(req, reply);
    if (!draft) return;
    // A draft whose details were never saved (or no longer validate) goes back to step 2.
    if (validateCaseDetails(draft.fields).length)
      return reply.redirect(`/arenden/utkast/${req.params.id}/uppgifter`, 303);
    return kit.send(req, reply, step3Page(req.params.id, draft.resident, draft.fields));
  });

  app.post('/arenden/utkast/:id/spara', async (req: DraftRequest, reply) => {
    const draft = loadDraft(req, reply);
    if (!draft) return;
    const errors = validateCaseDetails(draft.fields);
    if (errors.length) return kit.send(req, reply, step2Page(req.params.id, draft.resident, draft.fields, errors));
    // No check for an earlier save on purpose: the legacy system stores a double submission twice.
    const saved = db.insertCase({ ...draft.fields, createdBy: req.username });
    return reply.redirect(`/arenden/${saved.id}?sparat=1`, 303);
  });
}
