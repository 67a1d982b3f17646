/** Ekonomisystemet's routes; all of them sit behind demo/common's login wall. */
import type { FastifyInstance } from 'fastify';
import { html, type DemoKit } from '../common/index.js';
import { contactRoutes } from './contacts.js';
import type { EkonomiDb } from './db.js';
import { invoiceFormPage, invoiceListPage, receiptPage, startPage, supplierSearchPage } from './pages.js';
import { validateInvoice, type InvoiceForm } from './validation.js';

export const invoicePageSize = 20;

export function ekonomiRoutes(db: EkonomiDb, opts: { processingMs: number }) {
  return (app: FastifyInstance, kit: DemoKit) => {
    app.get('/', async (req, reply) => kit.send(req, reply, startPage()));
    contactRoutes(db, opts)(app, kit);

    app.get<{ Querystring: { orgnr?: string } }>('/leverantorer', async (req, reply) => {
      const query = (req.query.orgnr ?? '').trim();
      return kit.send(req, reply, supplierSearchPage(query, query ? db.searchSuppliers(query) : undefined));
    });

    app.get('/fakturor/ny', async (req, reply) => kit.send(req, reply, invoiceFormPage()));

    app.post<{ Body: InvoiceForm }>('/fakturor/ny', async (req, reply) => {
      const form = req.body ?? {};
      const checked = validateInvoice(form, db, req.username);
      if (!checked.ok) return kit.send(req, reply, invoiceFormPage(form, checked.errors));
      // The legacy system "books" between its duplicate check and the insert: a form posted twice
      // at once passes the check twice. This gap is what makes bot idempotency matter.
      if (opts.processingMs > 0) await new Promise((r) => setTimeout(r, opts.processingMs));
      const invoice = db.insertInvoice(checked.invoice);
      return reply.redirect(`/fakturor/${invoice.id}`, 303);
    });

    app.get<{ Params: { id: string } }>('/fakturor/:id', async (req, reply) => {
      const invoice = /^\d+$/.test(req.params.id) ? db.invoice(Number(req.params.id)) : undefined;
      if (!invoice) return kit.send(req, reply, { title: 'Fakturan finns inte', status: 404, body: html404 });
      return kit.send(req, reply, receiptPage(invoice));
    });

    app.get<{ Querystring: { sok?: string; sida?: string } }>('/fakturor', async (req, reply) => {
      const search = (req.query.sok ?? '').trim();
      const asked = Number.parseInt(req.query.sida ?? '1', 10);
      const total = db.listInvoices(search, 1, 1).total;
      const pages = Math.max(1, Math.ceil(total / invoicePageSize));
      const page = Math.min(Math.max(Number.isFinite(asked) ? asked : 1, 1), pages);
      const { rows } = db.listInvoices(search, page, invoicePageSize);
      return kit.send(req, reply, invoiceListPage(search, rows, page, pages, total));
    });
  };
}

const html404 = html`<p>Det finns ingen faktura med det numret. <a href="/fakturor">Till fakturalistan</a></p>`;
