/**
 * The Temporal SDK's worker series (task slots, poll latencies, sticky cache, activity and workflow
 * task counts) come from its Rust core's own Prometheus exporter, which Runtime.install starts on
 * a loopback port (temporal/worker.ts installRuntime). The worker's /metrics reads them from there.
 */
import type { AvlastaConfig } from '../config.js';

export function temporalSdkAddress(config: AvlastaConfig): string {
  return `127.0.0.1:${config.metrics.temporalSdkPort}`;
}

/** The SDK's exposition text, or a comment line saying why there is none (the scrape still succeeds). */
export async function temporalSdkMetrics(config: AvlastaConfig): Promise<string> {
  const url = `http://${temporalSdkAddress(config)}/metrics`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return `# Temporal SDK metrics: ${url} answered HTTP ${res.status}\n`;
    const text = await res.text();
    return text.endsWith('\n') ? text : `${text}\n`;
  } catch (err) {
    return `# Temporal SDK metrics: ${url} did not answer (${(err as Error).message})\n`;
  }
}
