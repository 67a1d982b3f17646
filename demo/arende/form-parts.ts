/** Accessible form building blocks: an error summary and fields wired to their error text. */
import { html, type SafeHtml } from '../common/index.js';
import type { FieldError } from './validation.js';

/** Summary at the top (role=alert, so screen readers and bots see it at once), one item per error. */
export function errorSummary(errors: FieldError[]): SafeHtml | '' {
  if (errors.length === 0) return '';
  return html`<div class="fel" role="alert" aria-labelledby="fel-rubrik">
    <h2 id="fel-rubrik">Formuläret innehåller fel</h2>
    <ul>
      ${errors.map((e) => html`<li><a href="#${e.field}">${e.message}</a></li>`)}
    </ul>
  </div>`;
}

export interface FieldOptions {
  id: string;
  label: string;
  errors: FieldError[];
  /** The control itself, rendered with the id; receives the ARIA attributes to include. */
  control: (aria: SafeHtml) => SafeHtml;
  hint?: string;
}

export function field(o: FieldOptions): SafeHtml {
  const error = o.errors.find((e) => e.field === o.id);
  const describedBy = [o.hint ? `${o.id}-hint` : '', error ? `${o.id}-fel` : ''].filter(Boolean).join(' ');
  const aria = html`${error ? html` aria-invalid="true"` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}`;
  return html`<div>
    <label for="${o.id}">${o.label}</label> ${o.hint ? html`<div id="${o.id}-hint">${o.hint}</div>` : ''}
    ${error ? html`<div id="${o.id}-fel" class="fel">${error.message}</div>` : ''}${o.control(aria)}
  </div>`;
}

/** The personnummer field of the resident lookup and of the new-case wizard's first step. */
export function personnummerField(value: string, errors: FieldError[]): SafeHtml {
  return field({
    id: 'personnummer',
    label: 'Personnummer',
    hint: 'ÅÅÅÅMMDD-NNNN',
    errors,
    control: (aria) =>
      html`<input
        id="personnummer"
        name="personnummer"
        value="${value}"
        inputmode="numeric"
        autocomplete="off"
        ${aria}
      />`,
  });
}
