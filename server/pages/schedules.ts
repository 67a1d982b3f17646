/**
 * The automations that run on a schedule, for ops and auditors: when each runs (Stockholm time),
 * whether it is paused and why, its next firings and its latest run. Read from Temporal
 * (engine/schedules.ts); managing schedules is `avlasta schedules …` (docs/OPERATING.md).
 */
import type { FastifyInstance } from 'fastify';
import { listSchedules } from '../../engine/schedules.js';
import { isAuditor, isOps } from '../access.js';
import { requireRole } from '../auth/guards.js';
import type { ServerContext } from '../context.js';
import { html } from '../html.js';
import { formatDateTime, texts } from '../i18n.js';
import { page } from './layout.js';

export async function schedulePages(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.addHook(
    'preHandler',
    requireRole((u) => isOps(u) || isAuditor(u)),
  );

  app.get('/schedules', async (request, reply) => {
    const w = texts[request.lang].schedules;
    const schedules = await listSchedules(ctx.temporal, ctx.config);
    const body = html`<h1>${w.title}</h1>
      <p>${w.intro}</p>
      ${
        schedules.length === 0
          ? html`<p>${w.none}</p>`
          : html`<table>
              <caption>
                ${w.title}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${w.automation}</th>
                  <th scope="col">${w.when}</th>
                  <th scope="col">${w.state}</th>
                  <th scope="col">${w.next}</th>
                  <th scope="col">${w.last}</th>
                  <th scope="col">${w.holidays}</th>
                </tr>
              </thead>
              <tbody>
                ${schedules.map(
                  (s) =>
                    html`<tr>
                      <td>${s.automationId}</td>
                      <td><code>${s.at}</code></td>
                      <td>${s.paused ? html`${w.paused}${s.note ? html` – ${s.note}` : ''}` : w.active}</td>
                      <td class="num">${s.paused ? '' : s.nextRuns.slice(0, 3).map(formatDateTime).join(', ')}</td>
                      <td>
                        ${
                          s.recentRuns[0]
                            ? html`<a href="/runs/${encodeURIComponent(s.recentRuns[0].workflowId)}"
                                >${formatDateTime(s.recentRuns[0].scheduledAt)}</a
                              >`
                            : ''
                        }
                      </td>
                      <td class="num">${s.holidaysSkippedThrough ?? ''}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }`;
    reply.type('text/html; charset=utf-8').send(page(request, { title: w.title, body, current: 'schedules' }));
  });
}
