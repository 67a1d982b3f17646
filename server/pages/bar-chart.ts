/**
 * A bar chart as server-rendered SVG: no JavaScript, no inline style (the CSP forbids both), a
 * title and description for screen readers, and the same figures always in a table beside it.
 * Bars of several series stack. Colours are the stylesheet's, dark enough against white.
 */
import { html, type SafeHtml } from '../html.js';
import { formatNumber } from '../i18n.js';

export interface BarSeries {
  name: string;
  values: number[];
  fill: string;
}

export interface BarChartOptions {
  id: string;
  title: string;
  description: string;
  labels: string[];
  series: BarSeries[];
}

const W = 720;
const H = 260;
const LEFT = 56;
const BOTTOM = 48;
const TOP = 12;

export function barChart(o: BarChartOptions): SafeHtml {
  const totals = o.labels.map((_, i) => o.series.reduce((s, x) => s + (x.values[i] ?? 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const plotH = H - TOP - BOTTOM;
  const step = (W - LEFT - 8) / Math.max(1, o.labels.length);
  const barW = Math.max(4, step * 0.6);
  const y = (v: number) => TOP + plotH - (max ? (v / max) * plotH : 0);
  const ticks = [0, max / 2, max];
  const bars = o.labels.flatMap((label, i) => {
    let base = 0;
    return o.series.map((s) => {
      const v = s.values[i] ?? 0;
      const top = y(base + v);
      const bottom = y(base);
      base += v;
      return v > 0
        ? html`<rect
            x="${(LEFT + i * step + (step - barW) / 2).toFixed(1)}"
            y="${top.toFixed(1)}"
            width="${barW.toFixed(1)}"
            height="${(bottom - top).toFixed(1)}"
            fill="${s.fill}"
            ><title>${label}, ${s.name}: ${formatNumber(v)}</title></rect
          >`
        : html``;
    });
  });
  const labelEvery = Math.ceil(o.labels.length / 12);
  return html`<figure class="chart">
    <svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${o.id}-title ${o.id}-desc" width="100%">
      <title id="${o.id}-title">${o.title}</title>
      <desc id="${o.id}-desc">${o.description}</desc>
      ${ticks.map(
        (t) =>
          html`<line x1="${LEFT}" x2="${W - 4}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#c4cbd3" /><text
              x="${LEFT - 6}"
              y="${(y(t) + 4).toFixed(1)}"
              text-anchor="end"
              font-size="12"
              fill="#1b1f24"
              >${formatNumber(Math.round(t * 10) / 10)}</text
            >`,
      )}
      ${bars}
      ${o.labels.map((label, i) =>
        i % labelEvery === 0
          ? html`<text
              x="${(LEFT + i * step + step / 2).toFixed(1)}"
              y="${H - BOTTOM + 18}"
              text-anchor="middle"
              font-size="11"
              fill="#1b1f24"
              >${label}</text
            >`
          : '',
      )}
      <line x1="${LEFT}" x2="${LEFT}" y1="${TOP}" y2="${TOP + plotH}" stroke="#1b1f24" />
    </svg>
    <figcaption>
      ${o.title}${
        o.series.length > 1
          ? html`:
            ${o.series.map(
              (s) =>
                html`<span class="legend"
                  ><svg width="12" height="12" aria-hidden="true" focusable="false">
                    <rect width="12" height="12" fill="${s.fill}" />
                  </svg>
                  ${s.name}</span
                > `,
            )}`
          : ''
      }
    </figcaption>
  </figure>`;
}

/** 0, or the next 1, 2 or 5 × 10ⁿ at or above `v`, so the axis reads in round numbers. */
function niceMax(v: number): number {
  if (v <= 0) return 0;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * p).find((m) => m >= v)!;
}
