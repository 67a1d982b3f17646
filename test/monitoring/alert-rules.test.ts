/**
 * deploy/prometheus: the alert rules pass `promtool check rules`, their unit tests pass
 * `promtool test rules` (each alert fires on the series that should fire it, and only then), the
 * example Prometheus configuration passes `promtool check config`, and every Avlasta series the
 * rules and the Grafana dashboard name is one the code registers.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { processRegistry } from '../../metrics/registry.js';
import '../../metrics/series.js'; // registers the series on the process registry
import { serverRegistry } from '../../metrics/server-series.js';
import type { Stores } from '../../store/types.js';
import { promtool } from './exposition.js';

const deploy = fileURLToPath(new URL('../../deploy/', import.meta.url));

/** Every series name the code can expose, histogram and counter suffixes included. */
function knownSeries(): Set<string> {
  const server = serverRegistry({ stores: {} as Stores, queues: new Map(), now: Date.now });
  const names = new Set<string>();
  for (const metric of [...processRegistry.getMetricsAsArray(), ...server.getMetricsAsArray()]) {
    const name = metric.name;
    names.add(name);
    for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
  }
  return names;
}

const avlastaNames = (text: string) => [...new Set([...text.matchAll(/\bavlasta_[a-z_]+\b/g)].map((m) => m[0]))];

describe('Prometheus rules and configuration', () => {
  it('promtool check rules accepts alerts.yml', async () => {
    const res = await promtool(['check', 'rules', 'alerts.yml'], undefined, `${deploy}prometheus`);
    expect(res.out).toContain('SUCCESS: 6 rules found');
    expect(res.code).toBe(0);
  });

  it('promtool test rules: every alert fires when it should and not before', async () => {
    const res = await promtool(['test', 'rules', 'alerts.test.yml'], undefined, `${deploy}prometheus`);
    expect(res.out).toContain('SUCCESS');
    expect(res.code).toBe(0);
    const tested = readFileSync(`${deploy}prometheus/alerts.test.yml`, 'utf8');
    for (const alert of readFileSync(`${deploy}prometheus/alerts.yml`, 'utf8').matchAll(/- alert: (\w+)/g))
      expect(tested, `alerts.test.yml tests ${alert[1]}`).toContain(`alertname: ${alert[1]}`);
  });

  it('promtool check config accepts prometheus.yml with its rules', async () => {
    const res = await promtool(['check', 'config', 'prometheus.yml'], undefined, `${deploy}prometheus`);
    expect(res.code, res.out).toBe(0);
  });

  it('names only series the code registers, in the rules and in the Grafana dashboard', () => {
    const known = knownSeries();
    const used = [
      ...avlastaNames(readFileSync(`${deploy}prometheus/alerts.yml`, 'utf8')),
      ...avlastaNames(readFileSync(`${deploy}grafana/avlasta-dashboard.json`, 'utf8')),
    ];
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((n) => !known.has(n))).toEqual([]);
  });
});
