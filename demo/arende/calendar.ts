/**
 * A small calendar widget next to the `<input type=date>` of step 2 — the kind of home-made date
 * picker legacy systems have. Purely client side and optional: typing in the field still works,
 * and bots fill the input directly. Trusted, static markup and script (no user data inside).
 */
import { raw, type SafeHtml } from '../common/index.js';

const script = `(() => {
  const input = document.getElementById('applicationDate');
  const toggle = document.getElementById('kalender-knapp');
  const panel = document.getElementById('kalender');
  const months = ['januari','februari','mars','april','maj','juni','juli','augusti','september','oktober','november','december'];
  let shown = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  function render() {
    const y = shown.getFullYear(), m = shown.getMonth();
    const first = (new Date(y, m, 1).getDay() + 6) % 7;
    const days = new Date(y, m + 1, 0).getDate();
    let cells = '';
    for (let i = 0; i < first; i++) cells += '<td></td>';
    for (let d = 1; d <= days; d++) {
      const iso = y + '-' + pad(m + 1) + '-' + pad(d);
      cells += '<td><button type="button" data-datum="' + iso + '" aria-label="' + d + ' ' + months[m] + ' ' + y + '">' + d + '</button></td>';
      if ((first + d) % 7 === 0) cells += '</tr><tr>';
    }
    panel.innerHTML = '<div><button type="button" data-steg="-1" aria-label="Föregående månad">&lsaquo;</button> ' +
      '<span aria-live="polite">' + months[m] + ' ' + y + '</span> ' +
      '<button type="button" data-steg="1" aria-label="Nästa månad">&rsaquo;</button></div>' +
      '<table role="grid"><thead><tr><th>mån</th><th>tis</th><th>ons</th><th>tor</th><th>fre</th><th>lör</th><th>sön</th></tr></thead><tbody><tr>' + cells + '</tr></tbody></table>';
  }
  toggle.addEventListener('click', () => {
    const open = panel.hidden;
    if (open && input.value) shown = new Date(input.value + 'T12:00:00');
    panel.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    if (open) render();
  });
  panel.addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (!b) return;
    if (b.dataset.steg) { shown = new Date(shown.getFullYear(), shown.getMonth() + Number(b.dataset.steg), 1); render(); return; }
    input.value = b.dataset.datum;
    panel.hidden = true;
    toggle.setAttribute('aria-expanded', 'false');
    input.focus();
  });
})();`;

export function calendarWidget(): SafeHtml {
  return raw(`<button type="button" id="kalender-knapp" aria-controls="kalender" aria-expanded="false">Välj datum i kalender</button>
<div id="kalender" hidden></div><script>${script}</script>`);
}
