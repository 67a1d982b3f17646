/**
 * Ekonomisystemet's contact persons per supplier: the demo's page with **no reference field**. A
 * contact is only its business fields (supplier, name, e-mail), and the system accepts the same
 * contact twice, so a bot finds what it would create by those fields (the natural-key pattern,
 * docs/AUTHORING.md, "Systems without a reference field").
 */
import type { FastifyInstance } from 'fastify';
import { html, luhnValid, type DemoKit, type DemoPage } from '../common/index.js';
import type { Contact, EkonomiDb } from './db.js';
import { normaliseOrgnr } from './validation.js';

interface ContactForm {
  orgnr?: string;
  name?: string;
  email?: string;
}

export function contactRoutes(db: EkonomiDb, opts: { processingMs: number }) {
  return (app: FastifyInstance, kit: DemoKit) => {
    app.get<{ Querystring: { orgnr?: string } }>('/leverantorer/kontakter', async (req, reply) => {
      const orgnr = normaliseOrgnr(req.query.orgnr ?? '');
      return kit.send(req, reply, contactListPage(req.query.orgnr ?? '', orgnr ? db.contactsOf(orgnr) : undefined));
    });
    app.get('/leverantorer/kontakter/ny', async (req, reply) => kit.send(req, reply, contactFormPage()));
    app.post<{ Body: ContactForm }>('/leverantorer/kontakter/ny', async (req, reply) => {
      const form = req.body ?? {};
      const orgnr = normaliseOrgnr(form.orgnr ?? '');
      const [name, email] = [(form.name ?? '').trim(), (form.email ?? '').trim()];
      const errors = [
        !orgnr || !luhnValid(orgnr) ? 'Organisationsnummer är inte giltigt (NNNNNN-NNNN).' : '',
        orgnr && !db.supplier(orgnr) ? `Leverantören ${orgnr} finns inte i leverantörsregistret.` : '',
        name ? '' : 'Namn måste anges.',
        /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) ? '' : 'E-post är inte en giltig adress.',
      ].filter(Boolean);
      if (errors.length) return kit.send(req, reply, contactFormPage(form, errors));
      // "Saving" takes a while, and nothing stops the same contact being saved twice meanwhile.
      if (opts.processingMs > 0) await new Promise((r) => setTimeout(r, opts.processingMs));
      db.insertContact({ supplierOrgnr: orgnr!, name, email }, req.username);
      return reply.redirect(`/leverantorer/kontakter?orgnr=${orgnr}`, 303);
    });
  };
}

function contactListPage(query: string, contacts: Contact[] | undefined): DemoPage {
  const list = !contacts
    ? ''
    : contacts.length === 0
      ? html`<p role="status">Leverantören har inga kontaktpersoner.</p>`
      : html`<p role="status">${contacts.length} kontaktperson(er).</p>
          <table>
            <caption>
              Kontaktpersoner
            </caption>
            <thead>
              <tr>
                <th scope="col">Namn</th>
                <th scope="col">E-post</th>
              </tr>
            </thead>
            <tbody>
              ${contacts.map(
                (c) =>
                  html`<tr>
                    <td>${c.name}</td>
                    <td>${c.email}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`;
  return {
    title: 'Kontaktpersoner',
    body: html`<form method="get" action="/leverantorer/kontakter" role="search">
        <label for="orgnr">Organisationsnummer</label><input id="orgnr" name="orgnr" value="${query}" />
        <div><button type="submit">Visa</button></div>
      </form>
      ${list}
      <p><a href="/leverantorer/kontakter/ny">Ny kontaktperson</a></p>`,
  };
}

function contactFormPage(form: ContactForm = {}, errors: string[] = []): DemoPage {
  return {
    title: 'Ny kontaktperson',
    status: errors.length ? 400 : 200,
    body: html`${
        errors.length
          ? html`<div class="fel" role="alert">
              <h2>Kontaktpersonen kunde inte sparas</h2>
              <ul>
                ${errors.map((m) => html`<li>${m}</li>`)}
              </ul>
            </div>`
          : ''
      }
      <form method="post" action="/leverantorer/kontakter/ny">
        <label for="orgnr">Organisationsnummer</label><input id="orgnr" name="orgnr" value="${form.orgnr ?? ''}" />
        <label for="name">Namn</label><input id="name" name="name" value="${form.name ?? ''}" />
        <label for="email">E-post</label><input id="email" name="email" type="email" value="${form.email ?? ''}" />
        <div><button type="submit">Spara kontaktperson</button></div>
      </form>`,
  };
}
