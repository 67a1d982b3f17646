/**
 * The run page's items still at work (engine/items-in-flight.ts): key, what it is doing (a robot
 * step, or waiting for a person) and since when, with its Temporal UI link. Shown while the run
 * runs; the finished items follow in their own table.
 */
import type { FastifyRequest } from 'fastify';
import { maskString } from '../../audit/mask.js';
import { itemsInFlight } from '../../engine/items-in-flight.js';
import { temporalUiLink, type ServerContext } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { formatDateTime, texts } from '../i18n.js';

const SHOWN = 100;

export async function itemsInFlightSection(
  ctx: ServerContext,
  request: FastifyRequest,
  runId: string,
): Promise<SafeHtml> {
  const t = texts[request.lang];
  const c = t.console;
  const { items, more } = await itemsInFlight(ctx.temporal, runId, SHOWN);
  if (items.length === 0) return html``;
  return html`<h2 id="in-flight">${c.inFlight}</h2>
    <table data-testid="items-in-flight">
      <caption class="visually-hidden">
        ${c.inFlight}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t.itemKey}</th>
          <th scope="col">${t.status}</th>
          <th scope="col">${c.since}</th>
          <th scope="col">${t.temporalUi}</th>
        </tr>
      </thead>
      <tbody>
        ${items.map((i) => {
          const key = maskString(i.itemKey);
          return html`<tr>
            <td>${key}</td>
            <td>${c.inFlightStates[i.status] ?? i.status}</td>
            <td class="num">${formatDateTime(i.startedAt)}</td>
            <td>
              <a
                href="${temporalUiLink(ctx.config, i.workflowId)}"
                rel="noopener noreferrer"
                aria-label="${t.temporalUi}: ${key}"
                >${t.open}</a
              >
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
    ${more ? html`<p class="hint">${c.moreInFlight(SHOWN)}</p>` : ''}`;
}
