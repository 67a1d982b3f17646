/**
 * Counters from the Temporal dev server's Prometheus endpoint. The port is random per start, so
 * it is taken from TEMPORAL_METRICS_URL or found among the dev server's listening ports.
 */
import { execFileSync } from 'node:child_process';

export async function findMetricsUrl(): Promise<string | undefined> {
  if (process.env.TEMPORAL_METRICS_URL) return process.env.TEMPORAL_METRICS_URL;
  let ports: string[] = [];
  try {
    const out = execFileSync('ss', ['-ltnpH'], { encoding: 'utf8' });
    ports = out
      .split('\n')
      .filter((l) => l.includes('"temporal"'))
      .map((l) => /127\.0\.0\.1:(\d+)/.exec(l)?.[1])
      .filter((p): p is string => Boolean(p));
  } catch {
    return undefined;
  }
  for (const port of ports) {
    const url = `http://127.0.0.1:${port}/metrics`;
    const text = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      (r) => (r.ok ? r.text() : ''),
      () => '',
    );
    if (text.includes('persistence_requests')) return url;
  }
  return undefined;
}

/**
 * Sum of every series of each named counter. A key `name|text` sums only the series of `name`
 * whose labels contain `text` (e.g. `service_requests|operation="RecordActivityTaskHeartbeat"`).
 */
export async function counterTotals(url: string, keys: string[]): Promise<Record<string, number>> {
  const text = await (await fetch(url)).text();
  const out: Record<string, number> = Object.fromEntries(keys.map((k) => [k, 0]));
  const wanted = keys.map((key) => ({ key, name: key.split('|')[0], labels: key.split('|')[1] }));
  for (const l of text.split('\n')) {
    const name = /^([a-z_]+)[{ ]/.exec(l)?.[1];
    if (!name) continue;
    for (const w of wanted) {
      if (w.name === name && (!w.labels || l.includes(w.labels))) out[w.key] += Number(l.slice(l.lastIndexOf(' ') + 1));
    }
  }
  return out;
}

/** Time the server spent in its stores (history and visibility, every operation) and how many calls. */
export interface StoreTotals {
  ms: number;
  calls: number;
}

/**
 * The store totals from the latency histograms (`_sum`, `_count`). The dev server has one SQLite
 * connection for all of it, so these calls queue behind each other: their time is the one resource
 * both benchmark sides share that no CPU figure shows (time waiting for the connection is included).
 */
export async function storeTotals(url: string): Promise<StoreTotals> {
  const text = await (await fetch(url)).text();
  const totals: StoreTotals = { ms: 0, calls: 0 };
  for (const l of text.split('\n')) {
    const m = /^(?:visibility_)?persistence_latency_(sum|count)\{/.exec(l);
    if (!m) continue;
    const value = Number(l.slice(l.lastIndexOf(' ') + 1));
    if (m[1] === 'sum') totals.ms += value * 1000;
    else totals.calls += value;
  }
  return totals;
}
