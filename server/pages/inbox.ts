/** The inbox ("Att besluta") and "Beslutade av mig". */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ApprovalRecord } from '../../store/types.js';
import { requireUser } from '../auth/guards.js';
import { decidedBy, parseWith, pendingFor, type ServerContext } from '../context.js';
import { html } from '../html.js';
import { formatDateTime, formatDuration, texts } from '../i18n.js';
import { maskString } from '../../audit/mask.js';
import { page } from './layout.js';

const inboxQuery = z.object({ automation: z.string().max(100).optional(), lang: z.string().optional() });

export async function inboxPages(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.addHook('preHandler', requireUser);

  app.get('/', async (_request, reply) => reply.redirect('/inbox', 303));

  app.get('/inbox', async (request, reply) => {
    const t = texts[request.lang];
    const { automation } = parseWith(inboxQuery, request.query);
    const all = await pendingFor(ctx, request);
    const rows = automation ? all.filter((r) => r.automationId === automation) : all;
    const automations = [...new Set(all.map((r) => r.automationId))].sort();
    const now = ctx.now();
    const body = html`<h1>${t.inbox}</h1>
      <form method="get" action="/inbox" class="filter">
        <label for="automation">${t.automation}</label>
        <select id="automation" name="automation">
          <option value="">${t.allAutomations}</option>
          ${automations.map((a) => html`<option value="${a}" ${a === automation ? html` selected` : ''}>${a}</option>`)}
        </select>
        <button type="submit">${t.filter}</button>
      </form>
      ${
        rows.length === 0
          ? html`<p class="notice" role="status">${t.nothingWaiting}</p>`
          : html`<table data-testid="inbox">
              <caption>
                ${t.inbox} (${rows.length})
              </caption>
              <thead>
                <tr>
                  <th scope="col">${t.itemKey}</th>
                  <th scope="col">${t.automation}</th>
                  <th scope="col">${t.reason}</th>
                  <th scope="col">${t.waiting}</th>
                  <th scope="col">${t.due}</th>
                </tr>
              </thead>
              <tbody>
                ${rows.map((r) => {
                  const overdue = Date.parse(r.dueAt) < now;
                  return html`<tr>
                    <td><a href="/approvals/${encodeURIComponent(r.approvalId)}">${maskString(r.itemKey)}</a></td>
                    <td>${r.automationId}</td>
                    <td>${maskString(r.reason[request.lang])}</td>
                    <td class="num">${formatDuration(now - Date.parse(r.requestedAt))}</td>
                    <td class="num${overdue ? ' overdue' : ''}">
                      ${formatDateTime(r.dueAt)}${overdue ? html` (${t.overdue})` : ''}
                    </td>
                  </tr>`;
                })}
              </tbody>
            </table>`
      }`;
    reply.type('text/html; charset=utf-8').send(page(request, { title: t.inbox, body, current: 'inbox' }));
  });

  app.get('/decided', async (request, reply) => {
    const t = texts[request.lang];
    const rows = await decidedBy(ctx, request);
    const body = html`<h1>${t.decidedByMe}</h1>
      ${
        rows.length === 0
          ? html`<p class="notice" role="status">–</p>`
          : html`<table>
              <caption>
                ${t.decidedByMe} (${rows.length})
              </caption>
              <thead>
                <tr>
                  <th scope="col">${t.itemKey}</th>
                  <th scope="col">${t.automation}</th>
                  <th scope="col">${t.status}</th>
                  <th scope="col">${t.decidedAt}</th>
                  <th scope="col">${t.comment}</th>
                </tr>
              </thead>
              <tbody>
                ${rows.map(
                  (r: ApprovalRecord) =>
                    html`<tr>
                      <td>
                        <a href="/approvals/${encodeURIComponent(r.approvalId)}">${maskString(r.itemKey)}</a>
                      </td>
                      <td>${r.automationId}</td>
                      <td>${t.statuses[r.status] ?? r.status}</td>
                      <td class="num">${formatDateTime(r.decidedAt)}</td>
                      <td>${maskString(r.comment ?? '')}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }`;
    reply.type('text/html; charset=utf-8').send(page(request, { title: t.decidedByMe, body, current: 'decided' }));
  });
}
