/**
 * The ops console for ops and auditors: runs filtered by automation, department, status and start
 * date, with their progress, and starting a run (ops); one run's page and its actions are beside.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isAuditor, isOps } from '../access.js';
import { requireCsrf, requireRole } from '../auth/guards.js';
import { parseWith, type ServerContext } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { formatDateTime, formatNumber, texts, type Texts } from '../i18n.js';
import { runFilterFields, runFilterOf, runStatusFilters } from '../run-views.js';
import { registerUploads } from '../upload.js';
import { page } from './layout.js';
import { runActionPages } from './run-actions.js';
import { runPage } from './run-page.js';
import { startRunFromRequest } from '../start-run.js';

export async function runPages(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await registerUploads(app);
  app.addHook(
    'preHandler',
    requireRole((u) => isOps(u) || isAuditor(u)),
  );

  app.get('/runs', async (request, reply) => {
    const t = texts[request.lang];
    const c = t.console;
    const q = parseWith(listQuery, request.query);
    const runs = await ctx.runs.listRuns({ ...runFilterOf(q), automationId: q.automation, limit: 50 });
    const departments = Object.values(await ctx.stores.stats.departments());
    const body = html`<h1>${t.runs}</h1>
      ${
        isOps(request.user!)
          ? html`<form method="post" action="/runs" enctype="multipart/form-data">
              <input type="hidden" name="_csrf" value="${request.session?.csrfToken ?? ''}" />
              <fieldset>
                <legend>${c.startRun}</legend>
                <label for="automationId">${t.automation}</label>
                <input type="text" id="automationId" name="automationId" required />
                <label for="file">${c.file}</label>
                <input type="file" id="file" name="file" accept=".csv,.xlsx,.json" required />
                <div>
                  <input type="checkbox" id="trial" name="trial" value="true" />
                  <label for="trial">${c.runOptions.trial}</label>
                </div>
                <label for="sample">${c.runOptions.sample}</label>
                <input type="number" id="sample" name="sample" min="1" step="1" inputmode="numeric" />
                <div>
                  <input type="checkbox" id="rerunCompleted" name="rerunCompleted" value="true" />
                  <label for="rerunCompleted">${c.runOptions.rerunCompleted}</label>
                </div>
                <div><button type="submit">${c.start}</button></div>
              </fieldset>
            </form>`
          : ''
      }
      ${runFilterForm(q, [...new Set(departments)].sort(), t)}
      ${
        runs.length === 0
          ? html`<p class="notice" role="status">${c.noRuns}</p>`
          : html`<table data-testid="runs">
              <caption>
                ${t.runs}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${t.run}</th>
                  <th scope="col">${t.automation}</th>
                  <th scope="col">${c.department}</th>
                  <th scope="col">${t.status}</th>
                  <th scope="col">${t.progress}</th>
                  <th scope="col">${t.startedAt}</th>
                  <th scope="col">${t.closedAt}</th>
                </tr>
              </thead>
              <tbody>
                ${runs.map(
                  (r) =>
                    html`<tr>
                      <td><a href="/runs/${encodeURIComponent(r.workflowId)}">${r.workflowId}</a></td>
                      <td>${r.automationId}</td>
                      <td>${r.department ?? ''}</td>
                      <td>
                        ${c.runStatuses[r.status] ?? r.status}${
                          r.trial
                            ? html` <span class="tag" data-testid="trial-tag">(${c.runOptions.trialTag})</span>`
                            : ''
                        }
                      </td>
                      <td class="num">
                        ${r.total !== undefined ? `${formatNumber(r.processed ?? 0)} / ${formatNumber(r.total)}` : ''}
                      </td>
                      <td class="num">${formatDateTime(r.startedAt)}</td>
                      <td class="num">${formatDateTime(r.closedAt)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }`;
    reply.type('text/html; charset=utf-8').send(page(request, { title: t.runs, body, current: 'runs' }));
  });

  app.post('/runs', { preHandler: [requireRole(isOps), requireCsrf] }, async (request, reply) => {
    const started = await startRunFromRequest(ctx, request);
    return reply.redirect(`/runs/${encodeURIComponent(started.workflowId)}`, 303);
  });

  await runPage(app, ctx);
  await runActionPages(app, ctx);
}

const listQuery = z.object({
  automation: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  ...runFilterFields,
  lang: z.string().optional(),
});

function runFilterForm(q: z.infer<typeof listQuery>, departments: string[], t: Texts): SafeHtml {
  const c = t.console;
  return html`<form method="get" action="/runs" class="filter">
    <fieldset>
      <legend>${c.filterRuns}</legend>
      <label for="f-automation">${t.automation}</label>
      <input type="text" id="f-automation" name="automation" value="${q.automation ?? ''}" />
      <label for="f-department">${c.department}</label>
      <select id="f-department" name="department">
        <option value="">${c.allDepartments}</option>
        ${departments.map((d) => html`<option value="${d}" ${d === q.department ? html` selected` : ''}>${d}</option>`)}
      </select>
      <label for="f-status">${t.status}</label>
      <select id="f-status" name="status">
        <option value="">${c.anyStatus}</option>
        ${runStatusFilters.map(
          (s) => html`<option value="${s}" ${s === q.status ? html` selected` : ''}>${c.runStatuses[s] ?? s}</option>`,
        )}
      </select>
      <label for="f-from">${c.from}</label>
      <input type="date" id="f-from" name="from" value="${q.from ?? ''}" aria-describedby="f-date-hint" />
      <label for="f-to">${c.to}</label>
      <input type="date" id="f-to" name="to" value="${q.to ?? ''}" aria-describedby="f-date-hint" />
      <p class="hint" id="f-date-hint">${c.dateHint}</p>
      <div><button type="submit">${t.filter}</button></div>
    </fieldset>
  </form>`;
}
