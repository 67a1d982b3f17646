/**
 * Server-rendered HTML with escaping by default: every value interpolated into `html\`...\`` is
 * escaped unless it is itself the result of `html` (or `raw`). Arrays are joined.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => entities[c]);
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(value);
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return new SafeHtml(out);
}

/** Trusted markup only (never user input). */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

export interface NavLink {
  href: string;
  label: string;
}

/** One page a route sends through DemoKit.send. */
export interface DemoPage {
  title: string;
  body: SafeHtml;
  /** @defaultValue 200 */
  status?: number;
}

export interface LayoutOptions {
  appName: string;
  title: string;
  body: SafeHtml;
  /** Logged-in user; shows the logout button when present. */
  username?: string;
  nav?: NavLink[];
}

const style = raw(`body{font-family:Verdana,Arial,sans-serif;margin:0;background:#eef1f4;color:#1b1b1b}
header{background:#1d3c5a;color:#fff;padding:.6rem 1rem;display:flex;gap:1.5rem;align-items:center}
header a{color:#fff}main{background:#fff;margin:1rem;padding:1rem 1.5rem;border:1px solid #c4ccd4}
table{border-collapse:collapse}th,td{border:1px solid #c4ccd4;padding:.25rem .6rem;text-align:left}
label{display:block;margin-top:.6rem;font-weight:bold}.fel{color:#a00000;border:2px solid #a00000;padding:.5rem}
.ok{color:#0a5a0a;border:2px solid #0a5a0a;padding:.5rem}button{margin-top:.8rem}`);

/** The whole page: lang="sv", a skip link, landmarks, one h1 — accessible by construction. */
export function layout(o: LayoutOptions): string {
  const nav =
    o.username && o.nav?.length
      ? html`<nav aria-label="Huvudmeny">
          <ul style="display:flex;gap:1rem;list-style:none;margin:0;padding:0">
            ${o.nav.map((l) => html`<li><a href="${l.href}">${l.label}</a></li>`)}
          </ul>
        </nav>`
      : '';
  const user = o.username
    ? html`<form method="post" action="/logout" style="margin-left:auto">
        <span>Inloggad som ${o.username}</span> <button type="submit">Logga ut</button>
      </form>`
    : '';
  return html`<!doctype html>
    <html lang="sv">
      <head>
        <meta charset="utf-8" />
        <title>${o.title} – ${o.appName}</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <style>
          ${style}
        </style>
      </head>
      <body>
        <a href="#innehall">Till innehållet</a>
        <header><strong>${o.appName}</strong>${nav}${user}</header>
        <main id="innehall">
          <h1>${o.title}</h1>
          ${o.body}
        </main>
      </body>
    </html>`.value;
}
