/**
 * The city dashboard (ops and managers): staff hours freed per automation and department, items
 * done, flagged, rejected and failed, approval turnaround, by week or month, as SVG charts with
 * the same figures in tables, and a CSV download. Figures only: no item data.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { csvField } from '../../audit/export.js';
import { isManager, isOps } from '../access.js';
import { requireRole } from '../auth/guards.js';
import { parseWith, type ServerContext } from '../context.js';
import { dashboardFigures, type DashboardFigures } from '../dashboard-figures.js';
import { html } from '../html.js';
import { formatDateTime, formatNumber, texts } from '../i18n.js';
import { barChart } from './bar-chart.js';
import { page } from './layout.js';

const query = z.object({ period: z.enum(['week', 'month']).default('week'), lang: z.string().optional() });
const colours = { hours: '#0b4f8a', done: '#1e6b30', rejected: '#8a5a00', failed: '#a4161a' };

export async function dashboardPages(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.addHook(
    'preHandler',
    requireRole((u) => isOps(u) || isManager(u)),
  );

  app.get('/dashboard', async (request, reply) => {
    const { period } = parseWith(query, request.query);
    const f = await dashboardFigures(ctx.stores, period, ctx.now());
    const t = texts[request.lang].dashboard;
    const hours = (n: number) => formatNumber(Math.round(n * 10) / 10);
    const turnaround = (n: number | undefined) => (n === undefined ? '–' : hours(n));
    // "v. 38" / "W38" under the bars (the year is in the tables); months stay "2025-03".
    const labels = f.periods.map((p) => p.period.replace(/^\d{4}-W/, t.weekPrefix));
    const range = [formatDateTime(f.from), formatDateTime(f.to)] as const;
    const whole = f.periods.reduce(
      (s, p) => ({
        hours: s.hours + p.hoursFreed,
        done: s.done + p.done,
        failed: s.failed + p.failed,
        flagged: s.flagged + p.flagged,
      }),
      { hours: 0, done: 0, failed: 0, flagged: 0 },
    );
    const body = html`<h1>${t.title}</h1>
      <p>${t.intro}</p>
      <form method="get" action="/dashboard" class="filter">
        <label for="period">${t.period}</label>
        <select id="period" name="period">
          <option value="week" ${period === 'week' ? html` selected` : ''}>${t.week}</option>
          <option value="month" ${period === 'month' ? html` selected` : ''}>${t.month}</option>
        </select>
        <button type="submit">${t.show}</button>
        <a href="/dashboard.csv?period=${period}" download>${t.csv}</a>
      </form>
      <h2>${t.summary}</h2>
      <dl class="facts" data-testid="summary">
        <dt>${t.hoursFreed}</dt>
        <dd>${hours(whole.hours)}</dd>
        <dt>${t.done}</dt>
        <dd>${formatNumber(whole.done)}</dd>
        <dt>${t.flagged}</dt>
        <dd>${formatNumber(whole.flagged)}</dd>
        <dt>${t.failed}</dt>
        <dd>${formatNumber(whole.failed)}</dd>
      </dl>
      ${barChart({
        id: 'hours',
        title: t.hoursChart,
        description: t.chartDesc(t.hoursChart, ...range),
        labels,
        series: [{ name: t.hoursFreed, values: f.periods.map((p) => p.hoursFreed), fill: colours.hours }],
      })}
      ${barChart({
        id: 'items',
        title: t.itemsChart,
        description: t.chartDesc(t.itemsChart, ...range),
        labels,
        series: [
          { name: t.done, values: f.periods.map((p) => p.done), fill: colours.done },
          { name: t.rejected, values: f.periods.map((p) => p.rejected), fill: colours.rejected },
          { name: t.failed, values: f.periods.map((p) => p.failed), fill: colours.failed },
        ],
      })}
      <h2>${t.perPeriod}</h2>
      <table data-testid="per-period">
        <caption>
          ${t.perPeriod}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t.period}</th>
            <th scope="col" class="num">${t.hoursFreed}</th>
            <th scope="col" class="num">${t.done}</th>
            <th scope="col" class="num">${t.flagged}</th>
            <th scope="col" class="num">${t.rejected}</th>
            <th scope="col" class="num">${t.failed}</th>
            <th scope="col" class="num">${t.decided}</th>
            <th scope="col" class="num">${t.turnaround}</th>
          </tr>
        </thead>
        <tbody>
          ${f.periods.map(
            (p) =>
              html`<tr>
                <th scope="row">${p.period}</th>
                <td class="num">${hours(p.hoursFreed)}</td>
                <td class="num">${formatNumber(p.done)}</td>
                <td class="num">${formatNumber(p.flagged)}</td>
                <td class="num">${formatNumber(p.rejected)}</td>
                <td class="num">${formatNumber(p.failed)}</td>
                <td class="num">${formatNumber(p.decided)}</td>
                <td class="num">${turnaround(p.medianTurnaroundHours)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <h2>${t.perAutomation}</h2>
      ${
        f.automations.length === 0
          ? html`<p class="notice" role="status">${t.nothing}</p>`
          : html`<table data-testid="per-automation">
                <caption>
                  ${t.perAutomation}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${texts[request.lang].automation}</th>
                    <th scope="col">${t.department}</th>
                    <th scope="col" class="num">${t.hoursFreed}</th>
                    <th scope="col" class="num">${t.done}</th>
                    <th scope="col" class="num">${t.flagged}</th>
                    <th scope="col" class="num">${t.rejected}</th>
                    <th scope="col" class="num">${t.failed}</th>
                    <th scope="col" class="num">${t.turnaround}</th>
                  </tr>
                </thead>
                <tbody>
                  ${f.automations.map(
                    (a) =>
                      html`<tr>
                        <th scope="row">${a.automationId}</th>
                        <td>${a.department}</td>
                        <td class="num">${hours(a.hoursFreed)}</td>
                        <td class="num">${formatNumber(a.done)}</td>
                        <td class="num">${formatNumber(a.flagged)}</td>
                        <td class="num">${formatNumber(a.rejected)}</td>
                        <td class="num">${formatNumber(a.failed)}</td>
                        <td class="num">${turnaround(a.medianTurnaroundHours)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
              <h2>${t.perDepartment}</h2>
              <table data-testid="per-department">
                <caption>
                  ${t.perDepartment}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${t.department}</th>
                    <th scope="col" class="num">${t.hoursFreed}</th>
                    <th scope="col" class="num">${t.done}</th>
                  </tr>
                </thead>
                <tbody>
                  ${f.departments.map(
                    (d) =>
                      html`<tr>
                        <th scope="row">${d.department}</th>
                        <td class="num">${hours(d.hoursFreed)}</td>
                        <td class="num">${formatNumber(d.done)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
      }`;
    reply.type('text/html; charset=utf-8').send(page(request, { title: t.nav, body, current: 'dashboard' }));
  });

  app.get('/dashboard.csv', async (request, reply) => {
    const { period } = parseWith(query, request.query);
    const f = await dashboardFigures(ctx.stores, period, ctx.now());
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="avlasta-${period}.csv"`)
      .send(dashboardCsv(f));
  });
}

const csvHeader = [
  'period',
  'automation',
  'department',
  'hoursFreed',
  'done',
  'flagged',
  'rejected',
  'failed',
  'decided',
  'medianTurnaroundHours',
];

/** One row per period and automation; a byte-order mark so spreadsheet programs read UTF-8 (å, ä, ö). */
export function dashboardCsv(f: DashboardFigures): string {
  const lines = f.rows.map((r) =>
    [
      r.period,
      r.automationId,
      r.department,
      Math.round(r.hoursFreed * 100) / 100,
      r.done,
      r.flagged,
      r.rejected,
      r.failed,
      r.decided,
      r.medianTurnaroundHours === undefined ? '' : Math.round(r.medianTurnaroundHours * 100) / 100,
    ]
      .map((v) => csvField(spreadsheetSafe(v)))
      .join(','),
  );
  return `\ufeff${[csvHeader.join(','), ...lines].join('\r\n')}\r\n`;
}

/**
 * A text cell a spreadsheet would read as a formula (=, +, -, @, tab, carriage return first) gets
 * a leading apostrophe, so a department or automation name cannot run anything when opened.
 */
export function spreadsheetSafe(value: string | number): string | number {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
