/**
 * The automations that run on a schedule, for ops and auditors: when each runs (Stockholm time),
 * whether it is paused and why, its next firings and its latest run. Read from Temporal
 * (engine/schedules.ts). Ops also pause, resume and run a schedule now from here
 * (schedule-actions.ts); creating and removing schedules is `avlasta schedules apply` (docs/OPERATING.md).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { scheduleActions } from '../../engine/schedule-control.js';
import { listSchedules } from '../../engine/schedules.js';
import { isAuditor, isOps } from '../access.js';
import { requireRole } from '../auth/guards.js';
import { parseWith, type ServerContext } from '../context.js';
import { html } from '../html.js';
import { formatDateTime, texts } from '../i18n.js';
import { page } from './layout.js';
import { scheduleActionHref, scheduleActionPages } from './schedule-actions.js';

const query = z.object({ done: z.enum(scheduleActions).optional() });

export async function schedulePages(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.addHook(
    'preHandler',
    requireRole((u) => isOps(u) || isAuditor(u)),
  );

  await scheduleActionPages(app, ctx);

  app.get('/schedules', async (request, reply) => {
    const w = texts[request.lang].schedules;
    const { done } = parseWith(query, request.query);
    const acts = isOps(request.user!);
    const schedules = await listSchedules(ctx.temporal, ctx.config);
    const body = html`<h1>${w.title}</h1>
      <p>${w.intro}</p>
      ${done ? html`<p class="notice ok" role="status" data-testid="done">${w.done[done]}</p>` : ''}
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
                  ${acts ? html`<th scope="col">${w.actions}</th>` : ''}
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
                      ${
                        acts
                          ? html`<td>
                              ${(s.paused ? (['resume', 'trigger'] as const) : (['pause', 'trigger'] as const)).map(
                                (action) =>
                                  html`<a
                                    href="${scheduleActionHref(s.automationId, action)}"
                                    aria-label="${w.actionFor(w.action[action], s.automationId)}"
                                    >${w.action[action]}</a
                                  > `,
                              )}
                            </td>`
                          : ''
                      }
                    </tr>`,
                )}
              </tbody>
            </table>`
      }`;
    reply.type('text/html; charset=utf-8').send(page(request, { title: w.title, body, current: 'schedules' }));
  });
}
