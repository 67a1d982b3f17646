/** The page frame: skip link, header with navigation, language switch and sign-out, main landmark. */
import type { FastifyRequest } from 'fastify';
import { isAuditor, isManager, isOps } from '../access.js';
import { html, type SafeHtml } from '../html.js';
import { texts } from '../i18n.js';

export interface PageOptions {
  title: string;
  body: SafeHtml;
  /** Which navigation entry is current (aria-current). */
  current?: 'inbox' | 'decided' | 'runs' | 'schedules' | 'dashboard' | 'queues';
}

export function page(request: FastifyRequest, opts: PageOptions): string {
  const lang = request.lang ?? 'sv';
  const t = texts[lang];
  const user = request.user;
  const other = lang === 'sv' ? 'en' : 'sv';
  const path = request.url.split('?')[0];
  const query = new URLSearchParams(request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '');
  query.set('lang', other);
  const nav = (key: PageOptions['current'], href: string, label: string) =>
    html`<li><a href="${href}" ${opts.current === key ? html` aria-current="page"` : ''}>${label}</a></li>`;
  return html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${opts.title} – ${t.appName}</title>
        <link rel="stylesheet" href="/static/app.css" />
      </head>
      <body>
        <a class="skip-link" href="#main">${t.skip}</a>
        <header class="site-header">
          <p class="brand"><a href="/inbox">${t.appName}</a></p>
          ${
            user
              ? html`<nav aria-label="${t.mainMenu}">
                  <ul>
                    ${nav('inbox', '/inbox', t.inbox)} ${nav('decided', '/decided', t.decidedByMe)}
                    ${isOps(user) || isAuditor(user) ? nav('runs', '/runs', t.runs) : ''}
                    ${isOps(user) || isAuditor(user) ? nav('schedules', '/schedules', t.schedules.title) : ''}
                    ${isOps(user) || isManager(user) ? nav('dashboard', '/dashboard', t.dashboard.nav) : ''}
                    ${isOps(user) ? nav('queues', '/queues', t.queues) : ''}
                  </ul>
                </nav>`
              : ''
          }
          <div class="tools">
            <a href="${path}?${query.toString()}" lang="${other}" hreflang="${other}">${t.otherLanguage}</a>
            ${
              user
                ? html`<span>${t.signedInAs} <strong>${user.name}</strong></span> ${
                      request.authVia === 'session' || request.authVia === 'header'
                        ? html`<form method="post" action="/logout" class="inline">
                            <input type="hidden" name="_csrf" value="${request.session?.csrfToken ?? ''}" /><button
                              type="submit"
                              class="link-button"
                            >
                              ${t.signOut}
                            </button>
                          </form>`
                        : ''
                    }`
                : ''
            }
          </div>
        </header>
        <main id="main" tabindex="-1">${opts.body}</main>
      </body>
    </html>`.value;
}
