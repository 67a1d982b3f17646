/** Item values for people: Swedish number and money formats, personnummer masked unless allowed. */
import { html, type SafeHtml } from '../html.js';
import { formatDateTime, formatNumber, formatSek } from '../i18n.js';
import { maskPersonalData, maskString } from '../../audit/mask.js';

const MONEY_FIELD = /belopp|amount|summa|sek|pris|price|kostnad|cost/i;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

export function formatValue(field: string, value: unknown, showPersonal: boolean): SafeHtml {
  if (typeof value === 'number') return html`${MONEY_FIELD.test(field) ? formatSek(value) : formatNumber(value)}`;
  if (typeof value === 'string') {
    if (ISO_DATETIME.test(value)) return html`${formatDateTime(value)}`;
    return html`${showPersonal ? value : maskString(value)}`;
  }
  if (value === null || value === undefined) return html``;
  if (typeof value === 'boolean') return html`${value ? '✓' : '–'}`;
  return html`<pre>${JSON.stringify(showPersonal ? value : maskPersonalData(value), null, 2)}</pre>`;
}

export function valueTable(
  caption: string,
  t: { field: string; value: string },
  data: Record<string, unknown>,
  showPersonal: boolean,
): SafeHtml {
  const entries = Object.entries(data);
  if (entries.length === 0) return html``;
  return html`<table>
    <caption>
      ${caption}
    </caption>
    <thead>
      <tr>
        <th scope="col">${t.field}</th>
        <th scope="col">${t.value}</th>
      </tr>
    </thead>
    <tbody>
      ${entries.map(
        ([k, v]) =>
          html`<tr>
            <th scope="row">${k}</th>
            <td>${formatValue(k, v, showPersonal)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}
