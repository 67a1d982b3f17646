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
    ports = out.split('\n').filter((l) => l.includes('"temporal"')).map((l) => /127\.0\.0\.1:(\d+)/.exec(l)?.[1]).filter((p): p is string => Boolean(p));
  } catch {
    return undefined;
  }
  for (const port of ports) {
    const url = `http://127.0.0.1:${port}/metrics`;
    const text = await fetch(url, { signal: AbortSignal.timeout(2000) }).then((r) => (r.ok ? r.text() : ''), () => '');
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
