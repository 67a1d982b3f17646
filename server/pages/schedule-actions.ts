/**
 * The ops console's schedule actions, each behind a confirm page: pause and resume (with a note,
 * shown in the list and kept in the audit log) and "run now" (ops, CSRF-checked like the other
 * forms). They take the one path `avlasta schedules` takes (engine/schedule-control.ts), as the
 * signed-in person.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { controlSchedule, scheduleActions, type ScheduleAction } from '../../engine/schedule-control.js';
import { isOps } from '../access.js';
import { requireCsrf, requireRole } from '../auth/guards.js';
import { parseWith, type ServerContext } from '../context.js';
import { html } from '../html.js';
import { texts } from '../i18n.js';
import { page } from './layout.js';

const params = z.object({ automationId: z.string().min(1).max(200), action: z.enum(scheduleActions) });
const form = z.object({ note: z.string().max(500).optional() });

export function scheduleActionHref(automationId: string, action: ScheduleAction): string {
  return `/schedules/${encodeURIComponent(automationId)}/actions/${action}`;
}

export async function scheduleActionPages(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.get('/schedules/:automationId/actions/:action', { preHandler: requireRole(isOps) }, async (request, reply) => {
    const { automationId, action } = parseWith(params, request.params);
    reply.type('text/html; charset=utf-8').send(confirmPage(request, automationId, action));
  });

  app.post(
    '/schedules/:automationId/actions/:action',
    { preHandler: [requireRole(isOps), requireCsrf] },
    async (request, reply) => {
      const { automationId, action } = parseWith(params, request.params);
      const { note } = parseWith(form, request.body);
      const deps = { client: ctx.temporal, config: ctx.config, stores: ctx.stores };
      await controlSchedule(deps, { id: request.user!.id, via: 'console' }, automationId, action, note);
      return reply.redirect(`/schedules?done=${action}`, 303);
    },
  );
}

function confirmPage(request: FastifyRequest, automationId: string, action: ScheduleAction): string {
  const w = texts[request.lang].schedules;
  const title = w.confirmTitle(w.actionFor(w.action[action], automationId));
  const body = html`<h1>${title}</h1>
    <p class="notice">${w.explain[action]}</p>
    <form method="post" action="${scheduleActionHref(automationId, action)}">
      <input type="hidden" name="_csrf" value="${request.session?.csrfToken ?? ''}" />
      ${
        action === 'trigger'
          ? ''
          : html`<p>
              <label for="note">${w.note}</label><br />
              <input id="note" name="note" type="text" maxlength="500" size="60" aria-describedby="note-hint" />
              <br /><span id="note-hint" class="hint">${w.noteHint}</span>
            </p>`
      }
      <button type="submit" data-testid="confirm">${w.confirm}</button>
    </form>
    <p><a href="/schedules">${w.back}</a></p>`;
  return page(request, { title, body, current: 'schedules' });
}
