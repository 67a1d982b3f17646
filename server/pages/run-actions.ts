/**
 * The ops console's run actions, each behind a confirm page: pause, resume, cancel and retry of
 * failed items (ops, CSRF-checked like the inbox forms). The engine decides what applies; a
 * refusal is shown on the confirm page with its reason, and the form is not offered again.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isOps } from '../access.js';
import { requireCsrf, requireRole } from '../auth/guards.js';
import { parseWith, type ServerContext } from '../context.js';
import { AppError } from '../errors.js';
import { html, type SafeHtml } from '../html.js';
import { texts } from '../i18n.js';
import { actOnRun, runActions, type RunAction } from '../run-actions.js';
import { page } from './layout.js';
import { runHref } from './run-page.js';

const params = z.object({ workflowId: z.string().min(1).max(300), action: z.enum(runActions) });

export async function runActionPages(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.get('/runs/:workflowId/actions/:action', { preHandler: requireRole(isOps) }, async (request, reply) => {
    const { workflowId, action } = parseWith(params, request.params);
    const run = await ctx.runs.getRunStatus(workflowId);
    reply.type('text/html; charset=utf-8').send(confirmPage(request, run.workflowId, action));
  });

  app.post(
    '/runs/:workflowId/actions/:action',
    { preHandler: [requireRole(isOps), requireCsrf] },
    async (request, reply) => {
      const { workflowId, action } = parseWith(params, request.params);
      try {
        const done = await actOnRun(ctx, request.user!, workflowId, action, 'console');
        const target = done.retry?.workflowId ?? workflowId;
        return reply.redirect(`${runHref(target)}?done=${action}`, 303);
      } catch (err) {
        if (!(err instanceof AppError) || err.status !== 409) throw err;
        const refusal = err.body(request.lang).error;
        return reply
          .code(409)
          .type('text/html; charset=utf-8')
          .send(
            confirmPage(request, workflowId, action, { message: refusal.message, detail: err.detail, code: err.code }),
          );
      }
    },
  );
}

function confirmPage(
  request: FastifyRequest,
  runId: string,
  action: RunAction,
  refused?: { message: string; detail?: string; code: string },
): string {
  const t = texts[request.lang];
  const c = t.console;
  const form: SafeHtml = html`<form method="post" action="${runHref(runId)}/actions/${action}">
    <input type="hidden" name="_csrf" value="${request.session?.csrfToken ?? ''}" />
    <button type="submit" data-testid="confirm">${c.confirm}</button>
  </form>`;
  const body = html`<h1>${c.confirmTitle(c.action[action])}</h1>
    <p>${t.run}: <a href="${runHref(runId)}">${runId}</a></p>
    ${
      refused
        ? html`<div class="notice error" role="alert" data-testid="refused">
            <p><strong>${c.refused}:</strong> ${refused.message}</p>
            ${refused.detail ? html`<p>${refused.detail}</p>` : ''}
            <p class="hint">${refused.code}</p>
          </div>`
        : html`<p class="notice">${c.explain[action]}</p>
            ${form}`
    }
    <p><a href="${runHref(runId)}">${c.back}</a></p>`;
  return page(request, { title: c.confirmTitle(c.action[action]), body, current: 'runs' });
}
