/** Ekonomisystemet's pages as HTML (no I/O). Labels are what bots locate fields by. */
import { formatSek, html, type DemoPage, type SafeHtml } from '../common/index.js';
import type { Invoice, Supplier } from './db.js';
import { costCentres } from './suppliers-seed.js';
import type { FieldName, FormErrors, InvoiceForm } from './validation.js';

export function startPage(): DemoPage {
  return {
    title: 'Startsida',
    body: html`<p>Välkommen till Ekonomisystemet, leverantörsreskontra för kommunen.</p>
      <ul>
        <li><a href="/leverantorer">Sök leverantör</a></li>
        <li><a href="/fakturor/ny">Registrera leverantörsfaktura</a></li>
        <li><a href="/fakturor">Registrerade fakturor</a></li>
      </ul>`,
  };
}

export function supplierSearchPage(query: string, results: Supplier[] | undefined): DemoPage {
  const table = !results
    ? ''
    : results.length === 0
      ? html`<p role="status">Ingen leverantör hittades för ”${query}”.</p>`
      : html`<p role="status">${results.length} leverantör(er) hittades.</p>
          <table>
            <caption>
              Leverantörer
            </caption>
            <thead>
              <tr>
                <th scope="col">Organisationsnummer</th>
                <th scope="col">Namn</th>
                <th scope="col">Adress</th>
              </tr>
            </thead>
            <tbody>
              ${results.map(
                (s) =>
                  html`<tr>
                    <td>${s.orgnr}</td>
                    <td>${s.name}</td>
                    <td>${s.address}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`;
  return {
    title: 'Leverantörsregister',
    body: html`<form method="get" action="/leverantorer" role="search">
        <label for="orgnr">Organisationsnummer eller namn</label><input id="orgnr" name="orgnr" value="${query}" />
        <div><button type="submit">Sök</button></div>
      </form>
      ${table}`,
  };
}

function field(name: FieldName, label: string, form: InvoiceForm, errors: FormErrors, hint?: string): SafeHtml {
  const error = errors[name];
  const described = [hint ? `${name}-hint` : '', error ? `${name}-fel` : ''].filter(Boolean).join(' ');
  return html`<label for="${name}">${label}</label>${hint ? html`<div id="${name}-hint">${hint}</div>` : ''}
    ${error ? html`<div id="${name}-fel" class="fel">${error}</div>` : ''}
    <input
      id="${name}"
      name="${name}"
      value="${form[name] ?? ''}"
      ${error ? html` aria-invalid="true"` : ''}${described ? html` aria-describedby="${described}"` : ''}
    />`;
}

export function invoiceFormPage(form: InvoiceForm = {}, errors: FormErrors = {}): DemoPage {
  const messages = Object.values(errors);
  const summary = messages.length
    ? html`<div class="fel" role="alert">
        <h2>Fakturan kunde inte registreras</h2>
        <ul>
          ${messages.map((m) => html`<li>${m}</li>`)}
        </ul>
      </div>`
    : '';
  const ccError = errors.costCentre;
  return {
    title: 'Registrera leverantörsfaktura',
    status: messages.length ? 400 : 200,
    body: html`${summary}
      <form method="post" action="/fakturor/ny">
        ${field('invoiceNumber', 'Fakturanummer', form, errors)}
        ${field('orgnr', 'Organisationsnummer', form, errors, 'NNNNNN-NNNN')}
        ${field('amount', 'Belopp (kr)', form, errors, 't.ex. 1 234,50')}
        ${field('dueDate', 'Förfallodatum', form, errors, 'ÅÅÅÅ-MM-DD')}
        <label for="costCentre">Kostnadsställe</label
        >${ccError ? html`<div id="costCentre-fel" class="fel">${ccError}</div>` : ''}
        <select
          id="costCentre"
          name="costCentre"
          ${ccError ? html` aria-invalid="true" aria-describedby="costCentre-fel"` : ''}
        >
          <option value="">– välj –</option>
          ${costCentres.map(
            (c) =>
              html`<option value="${c.code}" ${form.costCentre === c.code ? html` selected` : ''}>
                ${c.code} ${c.name}
              </option>`,
          )}
        </select>
        ${field('reference', 'Referens (valfri)', form, errors)}
        <div><button type="submit">Registrera faktura</button></div>
      </form>`,
  };
}

export function receiptPage(inv: Invoice): DemoPage {
  return {
    title: 'Fakturan är registrerad',
    body: html`<p role="status" class="ok">
        Fakturan har registrerats med registreringsnummer
        <strong data-testid="registreringsnummer">${inv.registrationNumber}</strong>.
      </p>
      <dl>
        <dt>Fakturanummer</dt>
        <dd>${inv.invoiceNumber}</dd>
        <dt>Leverantör</dt>
        <dd>${inv.supplierName} (${inv.supplierOrgnr})</dd>
        <dt>Belopp</dt>
        <dd>${formatSek(inv.amountOre)} kr</dd>
        <dt>Förfallodatum</dt>
        <dd>${inv.dueDate}</dd>
        <dt>Kostnadsställe</dt>
        <dd>${inv.costCentre}</dd>
        <dt>Referens</dt>
        <dd>${inv.reference || '–'}</dd>
      </dl>
      <p><a href="/fakturor/ny">Registrera en till faktura</a></p>`,
  };
}

export function invoiceListPage(search: string, rows: Invoice[], page: number, pages: number, total: number): DemoPage {
  const link = (p: number) => `/fakturor?${new URLSearchParams({ sok: search, sida: String(p) })}`;
  const table = rows.length
    ? html`<table>
        <caption>
          Registrerade fakturor (${total} st)
        </caption>
        <thead>
          <tr>
            <th scope="col">Registreringsnummer</th>
            <th scope="col">Fakturanummer</th>
            <th scope="col">Organisationsnummer</th>
            <th scope="col">Leverantör</th>
            <th scope="col">Belopp (kr)</th>
            <th scope="col">Förfallodatum</th>
            <th scope="col">Referens</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (r) =>
              html`<tr>
                <td>${r.registrationNumber}</td>
                <td>${r.invoiceNumber}</td>
                <td>${r.supplierOrgnr}</td>
                <td>${r.supplierName}</td>
                <td>${formatSek(r.amountOre)}</td>
                <td>${r.dueDate}</td>
                <td>${r.reference}</td>
              </tr>`,
          )}
        </tbody>
      </table>`
    : html`<p role="status">Inga fakturor hittades.</p>`;
  const pager = html`<nav aria-label="Sidor">
    <p>Sida ${page} av ${pages}</p>
    ${page > 1 ? html`<a href="${link(page - 1)}" rel="prev">Föregående sida</a> ` : ''}${page < pages ? html`<a href="${link(page + 1)}" rel="next">Nästa sida</a>` : ''}
  </nav>`;
  return {
    title: 'Registrerade fakturor',
    body: html`<form method="get" action="/fakturor" role="search">
        <label for="sok">Sök på fakturanummer eller referens</label><input id="sok" name="sok" value="${search}" />
        <div><button type="submit">Sök</button></div>
      </form>
      ${table}${pager}`,
  };
}
