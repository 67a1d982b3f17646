/** Runs for ops and auditors: recent runs, one run's progress and counts, and starting a run (ops). */
import type { FastifyInstance } from 'fastify';
import { isAuditor, isOps } from '../access.js';
import { requireCsrf, requireRole } from '../auth/guards.js';
import { temporalUiLink, type ServerContext } from '../context.js';
import { html } from '../html.js';
import { formatDateTime, formatNumber, texts } from '../i18n.js';
import { registerUploads } from '../upload.js';
import { page } from './layout.js';
import { startRunFromRequest } from '../start-run.js';

export async function runPages(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await registerUploads(app);
  app.addHook(
    'preHandler',
    requireRole((u) => isOps(u) || isAuditor(u)),
  );

  app.get('/runs', async (request, reply) => {
    const t = texts[request.lang];
    const sv = request.lang === 'sv';
    const runs = await ctx.runs.listRuns({ limit: 50 });
    const body = html`<h1>${t.runs}</h1>
      ${
        isOps(request.user!)
          ? html`<form method="post" action="/runs" enctype="multipart/form-data">
              <input type="hidden" name="_csrf" value="${request.session?.csrfToken ?? ''}" />
              <fieldset>
                <legend>${sv ? 'Starta en körning' : 'Start a run'}</legend>
                <label for="automationId">${t.automation}</label>
                <input type="text" id="automationId" name="automationId" required />
                <label for="file">${sv ? 'Fil (CSV, XLSX eller JSON)' : 'File (CSV, XLSX or JSON)'}</label>
                <input type="file" id="file" name="file" accept=".csv,.xlsx,.json" required />
                <div>
                  <input type="checkbox" id="trial" name="trial" value="true" />
                  <label for="trial">${t.runOptions.trial}</label>
                </div>
                <label for="sample">${t.runOptions.sample}</label>
                <input type="number" id="sample" name="sample" min="1" step="1" inputmode="numeric" />
                <div>
                  <input type="checkbox" id="rerunCompleted" name="rerunCompleted" value="true" />
                  <label for="rerunCompleted">${t.runOptions.rerunCompleted}</label>
                </div>
                <div><button type="submit">${sv ? 'Starta' : 'Start'}</button></div>
              </fieldset>
            </form>`
          : ''
      }
      <table>
        <caption>
          ${t.runs}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t.run}</th>
            <th scope="col">${t.automation}</th>
            <th scope="col">${t.status}</th>
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
                <td>${t.runStatuses[r.status] ?? r.status}</td>
                <td class="num">${formatDateTime(r.startedAt)}</td>
                <td class="num">${formatDateTime(r.closedAt)}</td>
              </tr>`,
          )}
        </tbody>
      </table>`;
    reply.type('text/html; charset=utf-8').send(page(request, { title: t.runs, body, current: 'runs' }));
  });

  app.post('/runs', { preHandler: [requireRole(isOps), requireCsrf] }, async (request, reply) => {
    const started = await startRunFromRequest(ctx, request);
    return reply.redirect(`/runs/${encodeURIComponent(started.workflowId)}`, 303);
  });

  app.get<{ Params: { workflowId: string } }>('/runs/:workflowId', async (request, reply) => {
    const t = texts[request.lang];
    const run = await ctx.runs.getRunStatus(request.params.workflowId);
    const progress = run.total
      ? html`<p>
          <label for="progress">${t.progress}</label>
          <progress id="progress" max="${run.total}" value="${run.processed ?? 0}">
            ${run.processed ?? 0} / ${run.total}
          </progress>
          ${formatNumber(run.processed ?? 0)} / ${formatNumber(run.total)}
        </p>`
      : '';
    const skipped = run.counts.skipped ?? 0;
    const notices = html`${
      run.trial ? html`<p class="notice" role="status" data-testid="trial-run">${t.runOptions.trialRun}</p>` : ''
    }${
      run.status === 'done' && !run.counts.loaded && skipped > 0
        ? html`<p class="notice error" role="alert" data-testid="nothing-run">${t.runOptions.nothingRun(skipped)}</p>`
        : ''
    }`;
    const body = html`<h1>${t.run}: ${run.workflowId}</h1>
      ${notices}
      <dl class="facts">
        <dt>${t.automation}</dt>
        <dd>${run.automationId}</dd>
        <dt>${t.status}</dt>
        <dd data-testid="run-status">${t.runStatuses[run.status] ?? run.status}</dd>
        <dt>${t.startedAt}</dt>
        <dd>${formatDateTime(run.startedAt)}</dd>
        ${
          run.closedAt
            ? html`<dt>${t.closedAt}</dt>
                <dd>${formatDateTime(run.closedAt)}</dd>`
            : ''
        }
        <dt>${t.temporalUi}</dt>
        <dd><a href="${temporalUiLink(ctx.config, run.workflowId)}" rel="noopener noreferrer">${run.workflowId}</a></dd>
      </dl>
      ${progress}
      <h2>${request.lang === 'sv' ? 'Antal' : 'Counts'}</h2>
      <ul class="counts">
        ${Object.entries(run.counts).map(([k, v]) => html`<li>${t.counts[k] ?? k}: <strong>${formatNumber(v)}</strong></li>`)}
      </ul>`;
    reply
      .type('text/html; charset=utf-8')
      .send(page(request, { title: `${t.run} ${run.workflowId}`, body, current: 'runs' }));
  });
}
