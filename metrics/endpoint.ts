/**
 * `GET /metrics` of a worker process on its own port (the server serves its own on its HTTP
 * port: server/routes/metrics.ts). The Temporal worker's answer also holds the Temporal SDK's
 * series, read from the SDK's exporter on loopback, so Prometheus scrapes one target per process.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { ConfigError, resolveSecret, type AvlastaConfig } from '../config.js';
import { processRegistry } from './registry.js';
import { temporalSdkMetrics } from './temporal-sdk.js';

export interface MetricsEndpoint {
  url: string;
  close(): Promise<void>;
}

export interface MetricsEndpointOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  registry?: Registry;
  /** More exposition text appended to the registry's (the Temporal SDK's series). */
  extraText?: () => Promise<string>;
  /** When set, requests must carry `Authorization: Bearer <token>`. */
  token?: string;
}

export async function startMetricsEndpoint(opts: MetricsEndpointOptions): Promise<MetricsEndpoint> {
  const registry = opts.registry ?? processRegistry;
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: try GET /metrics\n');
      return;
    }
    if (opts.token && !bearerMatches(req.headers.authorization, opts.token)) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' }).end();
      return;
    }
    metricsText(registry, opts.extraText).then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`${err.message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function metricsText(registry: Registry, extraText?: () => Promise<string>): Promise<string> {
  const own = await registry.metrics();
  return extraText ? own + (await extraText()) : own;
}

/** The metrics endpoint of a worker process as configured, or undefined when its port is 0. */
export async function startWorkerMetrics(
  config: AvlastaConfig,
  kind: 'temporal-worker' | 'bot-worker',
): Promise<MetricsEndpoint | undefined> {
  const m = config.metrics;
  const port = kind === 'temporal-worker' ? m.temporalWorkerPort : m.botWorkerPort;
  if (port === 0) return undefined;
  try {
    return await startMetricsEndpoint({
      host: m.host,
      port,
      token: metricsToken(config),
      extraText: kind === 'temporal-worker' ? () => temporalSdkMetrics(config) : undefined,
    });
  } catch (err) {
    // Two workers of one kind on one host want the same default port: say how to give each its own.
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new ConfigError(
        `the ${kind}'s metrics port ${m.host}:${port} is taken (another worker on this host?): ` +
          'set AVLASTA_METRICS_PORT to a free port for each worker, or 0 to serve no metrics',
      );
    throw err;
  }
}

export function metricsToken(config: AvlastaConfig): string | undefined {
  return config.metrics.token ? resolveSecret(config.metrics.token, 'metrics.token') : undefined;
}

export function bearerMatches(header: string | undefined, token: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const sent = Buffer.from(header.slice(7).trim());
  const expected = Buffer.from(token);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}
