/** Start page, resident lookup, case list and the page of one case (shown after saving). */
import { html, type DemoPage } from '../common/index.js';
import type { CaseRow } from './db.js';
import type { Resident } from './residents.js';
import { errorSummary, personnummerField } from './form-parts.js';
import type { FieldError } from './validation.js';

export function startPage(): DemoPage {
  return {
    title: 'Start',
    body: html`<p>Välkommen till Ärendesystemet.</p>
      <ul>
        <li><a href="/invanare">Sök invånare</a></li>
        <li><a href="/arenden/nytt">Registrera nytt ärende</a></li>
        <li><a href="/arenden">Ärendelista</a></li>
      </ul>`,
  };
}

/** Lookup result: undefined = no search yet, null = searched and not found. */
export function lookupPage(personnummer: string, result: Resident | null | undefined, errors: FieldError[]): DemoPage {
  const outcome =
    result === null
      ? html`<p role="status">Ingen invånare hittades med det personnumret.</p>`
      : result
        ? html`<section aria-labelledby="traff">
            <h2 id="traff">Folkbokförd invånare</h2>
            <dl>
              <dt>Namn</dt>
              <dd data-testid="namn">${result.name}</dd>
              <dt>Folkbokföringsadress</dt>
              <dd data-testid="adress">${result.address}</dd>
            </dl>
          </section>`
        : '';
  return {
    title: 'Sök invånare',
    status: errors.length ? 422 : 200,
    // POST keeps personnummer out of URLs, browser history and access logs.
    body: html`${errorSummary(errors)}
      <form method="post" action="/invanare" novalidate>
        ${personnummerField(personnummer, errors)}
        <div><button type="submit">Sök</button></div>
      </form>
      ${outcome}`,
  };
}

export function caseListPage(reference: string, rows: CaseRow[]): DemoPage {
  const table = rows.length
    ? html`<table>
        <caption>
          Träffar: ${rows.length}
        </caption>
        <thead>
          <tr>
            <th scope="col">Ärendenummer</th>
            <th scope="col">Ärendetyp</th>
            <th scope="col">Ansökningsdatum</th>
            <th scope="col">Extern referens</th>
            <th scope="col">Registrerat</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (r) =>
              html`<tr>
                <td><a href="/arenden/${r.id}">${r.caseNumber}</a></td>
                <td>${r.caseType}</td>
                <td>${r.applicationDate}</td>
                <td>${r.externalRef}</td>
                <td>${r.createdAt.slice(0, 16).replace('T', ' ')}</td>
              </tr>`,
          )}
        </tbody>
      </table>`
    : html`<p role="status">Inga ärenden hittades.</p>`;
  return {
    title: 'Ärenden',
    body: html`<form method="get" action="/arenden">
        <label for="referens">Extern referens</label> <input id="referens" name="referens" value="${reference}" />
        <button type="submit">Sök</button>
      </form>
      <p><a href="/arenden/nytt">Registrera nytt ärende</a></p>
      ${table}`,
  };
}

export function casePage(row: CaseRow, justSaved: boolean): DemoPage {
  const rows: Array<[string, string]> = [
    ['Ärendenummer', row.caseNumber],
    ['Ärendetyp', row.caseType],
    ['Beskrivning', row.details],
    ['Ansökningsdatum', row.applicationDate],
    ['Adress enligt ansökan', row.statedAddress],
    ['Extern referens', row.externalRef || '–'],
    ['Registrerat av', row.createdBy],
  ];
  return {
    title: justSaved ? 'Ärendet är registrerat' : `Ärende ${row.caseNumber}`,
    body: html`${justSaved ? html`<p class="ok" role="status">Ärendet har registrerats med ärendenummer <strong data-testid="arendenummer">${row.caseNumber}</strong>.</p>` : ''}
      <dl>
        ${rows.map(
          ([k, v]) =>
            html`<dt>${k}</dt>
              <dd>${v}</dd>`,
        )}
      </dl>
      <p><a href="/arenden">Till ärendelistan</a></p>`,
  };
}
