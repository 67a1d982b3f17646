/**
 * The process's Prometheus registry: Node's own series (CPU, memory, event-loop lag, under the
 * standard `process_` and `nodejs_` names dashboards know) and the Avlasta series a part of this
 * process records (metrics/series.ts). One per process, as a process is what Prometheus scrapes:
 * the demo runs server and workers in one process and shows them all on one /metrics.
 */
import { Registry, collectDefaultMetrics } from 'prom-client';

export const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry });
