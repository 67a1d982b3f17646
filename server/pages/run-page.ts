/**
 * One run in the ops console: its facts (who paused or cancelled it, the run it retries and its
 * retries), progress and counts, the actions that apply now (ops), and its items: key, outcome,
 * failed step, reason, attempts, when, evidence and the item's Temporal link, filtered by outcome
 * and paged by keyset, so the last page of a 100,000-item run loads as fast as the first.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { artifactsRoot } from '../../bot-runtime/artifacts.js';
import { listRunItems } from '../../engine/run-items.js';
import type { RunItemView } from '../../store/run-items.js';
import { itemWorkflowId, sanitize } from '../../temporal/names.js';
import { isRunLive } from '../../workflows/types.js';
import { isOps } from '../access.js';
import { artifactFile } from '../artifact-file.js';
import { parseWith, temporalUiLink, type ServerContext } from '../context.js';
import { AppError } from '../errors.js';
import { html, type SafeHtml } from '../html.js';
import { formatDateTime, formatNumber, texts, type Texts } from '../i18n.js';
import { runActions, type RunAction } from '../run-actions.js';
import { itemsQuery, runLinks } from '../run-views.js';
import type { RunStatusView } from '../run-service.js';
import { itemsInFlightSection } from './items-in-flight.js';
import { page } from './layout.js';

const ITEMS_PER_PAGE = 50;
const pageQuery = itemsQuery.omit({ limit: true }).extend({ done: z.enum(runActions).optional() });
const evidenceTypes: Record<string, string> = { '.png': 'image/png', '.zip': 'application/zip' };

/** The actions that apply to a run in this state (the engine refuses the others with a reason). */
export function applicableActions(run: Pick<RunStatusView, 'status' | 'counts'>): RunAction[] {
  if (run.status === 'running') return ['pause', 'cancel'];
  if (run.status === 'paused') return ['resume', 'cancel'];
  if (run.status === 'cancelling') return [];
  return (run.counts.failed ?? 0) > 0 ? ['retry-failed'] : [];
}

export const runHref = (runId: string) => `/runs/${encodeURIComponent(runId)}`;

export async function runPage(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.get<{ Params: { workflowId: string } }>('/runs/:workflowId', async (request, reply) => {
    const t = texts[request.lang];
    const c = t.console;
    const q = parseWith(pageQuery, request.query);
    const run = await ctx.runs.getRunStatus(request.params.workflowId);
    const running = isRunLive(run.status);
    const [items, { retries, retryOf }, inFlight] = await Promise.all([
      listRunItems(ctx.stores, run.workflowId, { outcome: q.outcome, after: q.after, limit: ITEMS_PER_PAGE }),
      runLinks(ctx.stores, run.workflowId),
      running ? itemsInFlightSection(ctx, request, run.workflowId) : html``,
    ]);
    const actions = isOps(request.user!) ? applicableActions(run) : [];
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
      run.trial ? html`<p class="notice" role="status" data-testid="trial-run">${c.runOptions.trialRun}</p>` : ''
    }${
      run.status === 'done' && !run.counts.loaded && skipped > 0
        ? html`<p class="notice error" role="alert" data-testid="nothing-run">${c.runOptions.nothingRun(skipped)}</p>`
        : ''
    }`;
    const body = html`<h1>${t.run}: ${run.workflowId}</h1>
      ${notices}
      <dl class="facts">
        <dt>${t.automation}</dt>
        <dd>${run.automationId}</dd>
        <dt>${t.status}</dt>
        <dd data-testid="run-status">${c.runStatuses[run.status] ?? run.status}</dd>
        <dt>${t.startedAt}</dt>
        <dd>${formatDateTime(run.startedAt)}</dd>
        ${
          run.closedAt
            ? html`<dt>${t.closedAt}</dt>
                <dd>${formatDateTime(run.closedAt)}</dd>`
            : ''
        }
        ${
          retryOf
            ? html`<dt>${c.retryOf}</dt>
                <dd data-testid="retry-of"><a href="${runHref(retryOf)}">${retryOf}</a></dd>`
            : ''
        }
        ${
          retries.length
            ? html`<dt>${c.retries}</dt>
                <dd data-testid="retries">${retries.map((id) => html`<a href="${runHref(id)}">${id}</a> `)}</dd>`
            : ''
        }
        <dt>${t.temporalUi}</dt>
        <dd><a href="${temporalUiLink(ctx.config, run.workflowId)}" rel="noopener noreferrer">${run.workflowId}</a></dd>
      </dl>
      ${q.done ? html`<p class="notice ok" role="status" data-testid="done">${c.done[q.done]}</p>` : ''}
      ${controlNotice(run, c)} ${progress}
      <h2>${c.countsHeading}</h2>
      <ul class="counts">
        ${Object.entries(run.counts).map(([k, v]) => html`<li>${c.counts[k] ?? k}: <strong>${formatNumber(v)}</strong></li>`)}
      </ul>
      ${
        actions.length
          ? html`<h2>${c.actions}</h2>
              <ul class="actions" data-testid="actions">
                ${actions.map(
                  (a) =>
                    html`<li><a class="button" href="${runHref(run.workflowId)}/actions/${a}">${c.action[a]}</a></li>`,
                )}
              </ul>`
          : ''
      }
      ${inFlight}
      <h2 id="items">${running ? c.finished : c.items}</h2>
      <form method="get" action="${runHref(run.workflowId)}#items" class="filter">
        <label for="outcome">${c.outcome}</label>
        <select id="outcome" name="outcome">
          <option value="">${c.anyOutcome}</option>
          ${(['failed', 'rejected', 'done'] as const).map(
            (o) => html`<option value="${o}" ${o === q.outcome ? html` selected` : ''}>${c.outcomes[o]}</option>`,
          )}
        </select>
        <button type="submit">${t.filter}</button>
      </form>
      ${itemsTable(ctx, request, run.workflowId, items.items, c)}
      <p class="pager">
        ${q.after ? html`<a href="${pageHref(run.workflowId, q.outcome)}">${c.firstPage}</a> ` : ''}
        ${items.next ? html`<a href="${pageHref(run.workflowId, q.outcome, items.next)}" rel="next">${c.nextPage}</a>` : ''}
      </p>`;
    reply
      .type('text/html; charset=utf-8')
      .send(page(request, { title: `${t.run} ${run.workflowId}`, body, current: 'runs' }));
  });

  app.get<{ Params: { workflowId: string; key: string; name: string } }>(
    '/runs/:workflowId/items/:key/evidence/:name',
    async (request, reply) => {
      const { workflowId, key, name } = request.params;
      const stored = join(artifactsRoot(ctx.config.dataDir), sanitize(workflowId), sanitize(key), basename(name));
      const file = await artifactFile(ctx.config.dataDir, stored, Object.keys(evidenceTypes));
      const data = file && (await readFile(file).catch(() => undefined));
      if (!file || !data) throw new AppError('AVL_ERR_NOT_FOUND');
      const type = evidenceTypes[file.slice(file.lastIndexOf('.')).toLowerCase()];
      reply.header('cache-control', 'no-store').header('content-disposition', `inline; filename="${basename(file)}"`);
      return reply.type(type).send(data);
    },
  );
}

function pageHref(runId: string, outcome?: string, after?: string): string {
  const params = new URLSearchParams();
  if (outcome) params.set('outcome', outcome);
  if (after) params.set('after', after);
  const query = params.toString();
  return `${runHref(runId)}${query ? `?${query}` : ''}#items`;
}

function controlNotice(run: RunStatusView, c: Texts['console']): SafeHtml | string {
  const cancelled = run.control?.cancelled;
  const paused = run.control?.paused;
  if (cancelled)
    return html`<p class="notice" role="status">${c.cancelledBy(cancelled.by, formatDateTime(cancelled.at))}</p>`;
  if (paused) return html`<p class="notice" role="status">${c.pausedBy(paused.by, formatDateTime(paused.at))}</p>`;
  return '';
}

function itemsTable(
  ctx: ServerContext,
  request: FastifyRequest,
  runId: string,
  items: RunItemView[],
  c: Texts['console'],
): SafeHtml {
  const t = texts[request.lang];
  if (items.length === 0) return html`<p class="notice" role="status">${c.noItems}</p>`;
  return html`<table data-testid="items">
    <caption class="visually-hidden">
      ${c.items}
    </caption>
    <thead>
      <tr>
        <th scope="col">${t.itemKey}</th>
        <th scope="col">${c.outcome}</th>
        <th scope="col">${c.step}</th>
        <th scope="col">${c.why}</th>
        <th scope="col">${c.attempts}</th>
        <th scope="col">${c.endedAt}</th>
        <th scope="col">${c.evidence}</th>
        <th scope="col">${t.temporalUi}</th>
      </tr>
    </thead>
    <tbody>
      ${items.map(
        (i) =>
          html`<tr>
            <td>${i.key}</td>
            <td>${c.outcomes[i.outcome] ?? i.outcome}</td>
            <td>${i.step ?? ''}</td>
            <td>${i.reason ?? ''}</td>
            <td class="num">${i.attempts}</td>
            <td class="num">${formatDateTime(i.at)}</td>
            <td>${evidenceLinks(runId, i, c)}</td>
            <td>
              <a
                href="${temporalUiLink(ctx.config, itemWorkflowId(runId, i.key))}"
                rel="noopener noreferrer"
                aria-label="${t.temporalUi}: ${i.key}"
                >${t.open}</a
              >
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function evidenceLinks(runId: string, item: RunItemView, c: Texts['console']): SafeHtml[] {
  return item.artifacts
    .map((path) => basename(path))
    .filter((name) => name.endsWith('.png') || name.endsWith('.zip'))
    .map((name) => {
      const href = `${runHref(runId)}/items/${encodeURIComponent(item.key)}/evidence/${encodeURIComponent(name)}`;
      const label = name.endsWith('.png') ? c.screenshot : c.trace;
      return html`<a href="${href}" aria-label="${label}: ${item.key}, ${name}">${label}</a> `;
    });
}
