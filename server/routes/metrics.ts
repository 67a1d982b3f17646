/**
 * `GET /metrics` of the server in Prometheus's text format: this process's series and the ones
 * read at scrape time (approvals waiting, bot queues). Meant for Prometheus on the internal
 * network: set metrics.token to require `Authorization: Bearer`, or keep it from the public proxy.
 */
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { bearerMatches, metricsText, metricsToken } from '../../metrics/endpoint.js';
import { processRegistry } from '../../metrics/registry.js';
import { serverRegistry } from '../../metrics/server-series.js';
import type { ServerContext } from '../context.js';

export async function metricsRoute(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const registry = Registry.merge([processRegistry, serverRegistry(ctx)]);
  const token = metricsToken(ctx.config);
  app.get('/metrics', async (request, reply) => {
    if (token && !bearerMatches(request.headers.authorization, token))
      return reply.code(401).header('www-authenticate', 'Bearer').type('text/plain; charset=utf-8').send('');
    return reply.type(registry.contentType).send(await metricsText(registry));
  });
}
