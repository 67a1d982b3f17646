/**
 * The three steps of "Nytt ärende" and the confirmation dialog. Step 1 creates a draft; steps 2
 * and 3 live at /arenden/utkast/<id>/…, so a page can be reloaded and a user whose session expired
 * continues where they were after logging in again.
 */
import { html, raw, type DemoPage } from '../common/index.js';
import { caseTypes, type CaseFields } from './db.js';
import type { Resident } from './residents.js';
import { calendarWidget } from './calendar.js';
import { errorSummary, field, personnummerField } from './form-parts.js';
import type { FieldError } from './validation.js';

export const wizardTitles = {
  step1: 'Nytt ärende, steg 1 av 3: Invånare',
  step2: 'Nytt ärende, steg 2 av 3: Uppgifter',
  step3: 'Nytt ärende, steg 3 av 3: Granska',
} as const;

export function step1Page(personnummer: string, errors: FieldError[]): DemoPage {
  return {
    title: wizardTitles.step1,
    status: errors.length ? 422 : 200,
    body: html`${errorSummary(errors)}
      <form method="post" action="/arenden/nytt" novalidate>
        ${personnummerField(personnummer, errors)}
        <div><button type="submit">Nästa</button></div>
      </form>`,
  };
}

export function step2Page(draftId: string, resident: Resident, f: CaseFields, errors: FieldError[]): DemoPage {
  return {
    title: wizardTitles.step2,
    status: errors.length ? 422 : 200,
    body: html`${errorSummary(errors)}
      <p>Sökande: <strong>${resident.name}</strong>, folkbokförd på ${resident.address}</p>
      <form method="post" action="/arenden/utkast/${draftId}/uppgifter" novalidate>
        ${field({
          id: 'caseType',
          label: 'Ärendetyp',
          errors,
          control: (aria) =>
            html`<select id="caseType" name="caseType" ${aria}>
              <option value="">Välj ärendetyp</option>
              ${caseTypes.map((t) => html`<option${t === f.caseType ? raw(' selected') : ''}>${t}</option>`)}
            </select>`,
        })}
        ${field({
          id: 'details',
          label: 'Beskrivning',
          errors,
          control: (aria) =>
            html`<textarea id="details" name="details" rows="4" cols="60" ${aria}>${f.details}</textarea>`,
        })}
        ${field({
          id: 'applicationDate',
          label: 'Ansökningsdatum',
          hint: 'ÅÅÅÅ-MM-DD',
          errors,
          control: (aria) =>
            html`<input
                type="date"
                id="applicationDate"
                name="applicationDate"
                value="${f.applicationDate}"
                ${aria}
              />${calendarWidget()}`,
        })}
        ${field({
          id: 'statedAddress',
          label: 'Adress enligt ansökan',
          errors,
          control: (aria) =>
            html`<input id="statedAddress" name="statedAddress" size="50" value="${f.statedAddress}" ${aria} />`,
        })}
        ${field({
          id: 'externalRef',
          label: 'Extern referens',
          hint: 'Valfritt, t.ex. e-tjänstens ansöknings-id',
          errors,
          control: (aria) => html`<input id="externalRef" name="externalRef" value="${f.externalRef}" ${aria} />`,
        })}
        <div><button type="submit">Nästa</button></div>
      </form>`,
  };
}

export function step3Page(draftId: string, resident: Resident, f: CaseFields): DemoPage {
  const rows: Array<[string, string]> = [
    ['Sökande', resident.name],
    ['Ärendetyp', f.caseType],
    ['Beskrivning', f.details],
    ['Ansökningsdatum', f.applicationDate],
    ['Adress enligt ansökan', f.statedAddress],
    ['Extern referens', f.externalRef || '–'],
  ];
  return {
    title: wizardTitles.step3,
    body: html`<dl>
        ${rows.map(
          ([k, v]) =>
            html`<dt>${k}</dt>
              <dd>${v}</dd>`,
        )}
      </dl>
      <p><a href="/arenden/utkast/${draftId}/uppgifter">Ändra uppgifterna</a></p>
      <form method="post" action="/arenden/utkast/${draftId}/spara">
        <button type="button" id="registrera">Registrera ärende</button>
        <dialog id="bekrafta" aria-labelledby="bekrafta-rubrik" aria-describedby="bekrafta-text">
          <h2 id="bekrafta-rubrik">Bekräfta registrering</h2>
          <p id="bekrafta-text">Vill du registrera ärendet? Registreringen kan inte ångras.</p>
          <button type="submit">Ja, registrera</button> <button type="button" id="avbryt">Avbryt</button>
        </dialog>
      </form>
      <p><a href="/arenden/nytt">Börja om</a></p>
      ${raw(`<script>(() => { const d = document.getElementById('bekrafta');
document.getElementById('registrera').addEventListener('click', () => d.showModal());
document.getElementById('avbryt').addEventListener('click', () => d.close()); })();</script>`)}`,
  };
}
