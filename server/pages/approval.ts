/** One approval: why the robot stopped, the evidence, the history, and the decision form. */
import { readFile } from 'node:fs/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApprovalRecord } from '../../store/types.js';
import type { DecideResult } from '../../workflows/messages.js';
import { artifactFile } from '../artifact-file.js';
import { canDecide, isApproverFor, isAuditor, isOps } from '../access.js';
import { requireCsrf, requireUser } from '../auth/guards.js';
import { parseWith, temporalUiLink, visibleApproval, type ServerContext } from '../context.js';
import { decideAs } from '../decide.js';
import { AppError, messageFor } from '../errors.js';
import { html } from '../html.js';
import { formatDateTime, formatDuration, formatTime, texts } from '../i18n.js';
import { maskPersonalData, maskString } from '../../audit/mask.js';
import { page } from './layout.js';
import { valueTable } from './values.js';

const decisionForm = z.object({
  _csrf: z.string().optional(),
  decision: z.enum(['approve', 'reject']),
  comment: z.string().max(4000).optional(),
});

interface Outcome {
  decided?: DecideResult;
  error?: AppError;
  comment?: string;
}

export async function approvalPages(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.addHook('preHandler', requireUser);

  app.get<{ Params: { id: string } }>('/approvals/:id', async (request, reply) => {
    const record = await visibleApproval(ctx, request, request.params.id);
    reply.type('text/html; charset=utf-8').send(await renderApproval(ctx, request, record, {}));
  });

  app.post<{ Params: { id: string } }>(
    '/approvals/:id/decision',
    { preHandler: requireCsrf },
    async (request, reply) => {
      const form = parseWith(decisionForm, request.body);
      try {
        // No visibility check first: the engine refuses whoever may not decide, and audits the attempt.
        const decided = await decideAs(ctx, request.user!, request.params.id, form, request.lang, 'inbox');
        const record = await visibleApproval(ctx, request, request.params.id);
        reply
          .type('text/html; charset=utf-8')
          .send(await renderApproval(ctx, request, withDecision(record, decided), { decided }));
      } catch (err) {
        if (!(err instanceof AppError) || err.status === 403 || err.status === 404 || err.status >= 500) throw err;
        const record = await visibleApproval(ctx, request, request.params.id);
        reply
          .code(err.status)
          .type('text/html; charset=utf-8')
          .send(await renderApproval(ctx, request, record, { error: err, comment: form.comment }));
      }
    },
  );

  app.get<{ Params: { id: string } }>('/approvals/:id/screenshot', async (request, reply) => {
    const record = await visibleApproval(ctx, request, request.params.id);
    const file = record.screenshotPath ? await artifactFile(ctx.config.dataDir, record.screenshotPath) : undefined;
    const data = file && (await readFile(file).catch(() => undefined));
    if (!data) throw new AppError('AVL_ERR_NOT_FOUND');
    reply.header('cache-control', 'no-store').type('image/png').send(data);
  });
}

/**
 * The record as it is once the workflow has written the decision: the Update returns before its
 * `recordDecision` step updates the store, and the page must not say "waiting" under "you approved".
 */
function withDecision(r: ApprovalRecord, d: DecideResult): ApprovalRecord {
  return {
    ...r,
    status: d.decision === 'approve' ? 'approved' : 'rejected',
    decidedBy: d.actor,
    decidedAt: d.decidedAt,
  };
}

async function renderApproval(
  ctx: ServerContext,
  request: FastifyRequest,
  r: ApprovalRecord,
  outcome: Outcome,
): Promise<string> {
  const lang = request.lang;
  const t = texts[lang];
  const user = request.user!;
  const approver = isApproverFor(user, r);
  const key = approver ? r.itemKey : maskString(r.itemKey);
  const history = await ctx.stores.audit.query({ runId: r.runId, itemKey: r.itemKey });
  const verdict = canDecide(user, r);
  const showForm = !outcome.decided && verdict.ok;
  const commentError = outcome.error?.code === 'AVL_ERR_COMMENT_REQUIRED';
  const decidedText = (d: DecideResult) =>
    `${d.decision === 'approve' ? t.approvedMsg : t.rejectedMsg} ${formatTime(d.decidedAt)}.`;
  const body = html`<h1>${t.approval}: ${key}</h1>
    ${outcome.decided ? html`<p class="notice ok" role="status" data-testid="result">${decidedText(outcome.decided)} <a href="/inbox">${t.backToInbox}</a></p>` : ''}
    ${outcome.error ? html`<p class="notice error" role="alert" data-testid="result">${outcome.error.detail && outcome.error.code === 'AVL_ERR_ALREADY_DECIDED' ? outcome.error.detail : outcome.error.body(lang).error.message}</p>` : ''}
    ${r.status === 'withdrawn' ? html`<p class="notice" data-testid="withdrawn">${t.withdrawnBecause(ctx.users.find(r.decidedBy ?? '')?.name ?? r.decidedBy ?? '', formatDateTime(r.decidedAt))}</p>` : ''}
    <p class="reason"><strong>${t.reason}:</strong> ${approver ? r.reason[lang] : maskString(r.reason[lang])}</p>
    <dl class="facts">
      <dt>${t.automation}</dt>
      <dd>${r.automationId}</dd>
      <dt>${t.status}</dt>
      <dd data-testid="status">
        ${t.statuses[r.status] ?? r.status}${r.decidedBy ? html` – ${r.decidedBy}, ${formatDateTime(r.decidedAt)}` : ''}
      </dd>
      <dt>${t.waiting}</dt>
      <dd>${formatDuration(ctx.now() - Date.parse(r.requestedAt))} (${formatDateTime(r.requestedAt)})</dd>
      <dt>${t.due}</dt>
      <dd>${formatDateTime(r.dueAt)}</dd>
      <dt>${t.run}</dt>
      <dd>
        ${isOps(user) || isAuditor(user) ? html`<a href="/runs/${encodeURIComponent(r.runId)}">${r.runId}</a>` : r.runId}
      </dd>
      <dt>${t.temporalUi}</dt>
      <dd>
        <a href="${temporalUiLink(ctx.config, r.itemWorkflowId)}" rel="noopener noreferrer">${r.itemWorkflowId}</a>
      </dd>
    </dl>
    ${valueTable(t.itemData, t, r.item, approver)}
    ${
      r.screenshotPath
        ? html`<h2>${t.screenshot}</h2>
            <p>
              <img
                class="evidence"
                src="/approvals/${encodeURIComponent(r.approvalId)}/screenshot"
                alt="${t.screenshotAlt}"
              />
            </p>`
        : ''
    }
    ${
      showForm
        ? html`<form method="post" action="/approvals/${encodeURIComponent(r.approvalId)}/decision" novalidate>
            <input type="hidden" name="_csrf" value="${request.session?.csrfToken ?? ''}" />
            <fieldset>
              <legend>${t.decision}</legend>
              <div class="choice">
                <input type="radio" id="decision-approve" name="decision" value="approve" required checked /><label
                  for="decision-approve"
                  >${t.approve}</label
                >
                <input type="radio" id="decision-reject" name="decision" value="reject" /><label for="decision-reject"
                  >${t.reject}</label
                >
              </div>
              <label for="comment">${t.comment}</label>
              <p class="hint" id="comment-hint">${t.commentHint}</p>
              <textarea
                id="comment"
                name="comment"
                aria-describedby="comment-hint"
                ${commentError ? html` aria-invalid="true" autofocus` : ''}
              >
${outcome.comment ?? ''}</textarea>
              <div><button type="submit">${t.submit}</button></div>
            </fieldset>
          </form>`
        : !outcome.decided && !verdict.ok && verdict.reason !== 'decided'
          ? outcome.error
            ? ''
            : html`<p class="notice">
                ${verdict.reason === 'four-eyes' ? messageFor('AVL_ERR_FOUR_EYES', lang) : t.notAllowedToDecide}
              </p>`
          : ''
    }
    <h2>${t.history}</h2>
    <table>
      <caption class="visually-hidden">
        ${t.history}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t.when}</th>
          <th scope="col">${t.event}</th>
          <th scope="col">${t.actor}</th>
          <th scope="col">${t.details}</th>
        </tr>
      </thead>
      <tbody>
        ${history.map(
          (e) =>
            html`<tr>
              <td class="num">${formatDateTime(e.at)}</td>
              <td>${e.event}</td>
              <td>${e.actor.id}</td>
              <td>
                ${Object.keys(e.details).length ? html`<pre>${JSON.stringify(maskPersonalData(e.details))}</pre>` : ''}
              </td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  return page(request, { title: `${t.approval} ${key}`, body });
}
