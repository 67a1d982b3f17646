/**
 * The API and staff inbox as a Fastify app, built separately from listening so tests can
 * `inject()` requests or listen on port 0. Each area is an encapsulated plugin that adds the
 * guards it needs; only cookies, form parsing, identity, headers and errors are app-wide.
 */
import { readFileSync } from 'node:fs';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { Client } from '@temporalio/client';
import type { Queue } from 'bullmq';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { AvlastaConfig } from '../config.js';
import { packagePath } from '../package-root.js';
import type { Stores } from '../store/types.js';
import { makeIdentify, type TrustedHeaderOptions } from './auth/identify.js';
import { requireUser } from './auth/guards.js';
import { LoginLockout, type LockoutOptions } from './auth/lockout.js';
import { SessionStore, type SessionOptions } from './auth/sessions.js';
import type { UserDirectory } from './auth/users.js';
import type { ServerContext } from './context.js';
import { installErrorHandling } from './error-handler.js';
import { approvalPages } from './pages/approval.js';
import { inboxPages } from './pages/inbox.js';
import { loginPages } from './pages/login.js';
import { runPages } from './pages/runs.js';
import { schedulePages } from './pages/schedules.js';
import { dashboardPages } from './pages/dashboard.js';

import { queueBoard } from './queue-board.js';
import { codecRoutes } from './routes/codec.js';
import { metricsRoute } from './routes/metrics.js';
import { approvalsApi } from './routes/api-approvals.js';
import { auditApi } from './routes/api-audit.js';
import { automationRunsApi } from './routes/api-automation-runs.js';
import { authApi } from './routes/api-auth.js';
import { runsApi } from './routes/api-runs.js';
import { runConsoleApi } from './routes/api-run-console.js';
import { ledgerApi } from './routes/api-ledger.js';
import type { RunService } from './run-service.js';
import { addSecurityHeaders, staticRoutes } from './security.js';

export interface BuildServerOptions {
  config: AvlastaConfig;
  stores: Stores;
  temporal: Client;
  runs: RunService;
  users: UserDirectory;
  /** system → its bot queue, for the queue board and the queue metrics. @defaultValue none */
  queues?: Map<string, Queue>;
  /** Signs the session cookie; at least 32 characters. */
  sessionSecret: string;
  /** Send cookies only over HTTPS. Turn on behind TLS. @defaultValue false (loopback HTTP) */
  secureCookies?: boolean;
  /** SSO proxy headers (X-Remote-User/X-Remote-Roles). @defaultValue off */
  trustedHeaders?: TrustedHeaderOptions;
  sessions?: SessionOptions;
  lockout?: Omit<LockoutOptions, 'now'>;
  /**
   * Addresses of the reverse proxy in front: its X-Forwarded-For then names the client, so
   * sign-in throttling and upload limits count per person, not per proxy. @defaultValue none
   */
  proxies?: string[];
  /** The clock, for waiting times, session expiry and lock-outs (tests move it). @defaultValue Date.now */
  now?: () => number;
  logger?: FastifyServerOptions['logger'];
}

const openapiPath = packagePath('server', 'openapi.yaml');

export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  if (options.sessionSecret.length < 32) throw new Error('buildServer: sessionSecret must be at least 32 characters');
  const now = options.now ?? Date.now;
  const ctx: ServerContext = {
    config: options.config,
    stores: options.stores,
    temporal: options.temporal,
    runs: options.runs,
    users: options.users,
    queues: options.queues ?? new Map(),
    sessions: new SessionStore({ ...options.sessions, now }),
    lockout: new LoginLockout(options.stores.loginThrottle, { ...options.lockout, now }),
    secureCookies: options.secureCookies ?? false,
    trustedHeaders: options.trustedHeaders,
    now,
  };

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    trustProxy: options.proxies?.length ? options.proxies : false,
    // Ids such as run.x.y contain dots; keep routing strict and predictable. Some Temporal UI
    // versions join the codec endpoint and "/decode" with a doubled slash.
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
  });
  await app.register(cookie, { secret: options.sessionSecret });
  await app.register(formbody);
  app.decorateRequest('lang', 'sv');
  app.addHook(
    'onRequest',
    makeIdentify({
      users: ctx.users,
      sessions: ctx.sessions,
      trustedHeaders: ctx.trustedHeaders,
      secureCookies: ctx.secureCookies,
    }),
  );
  addSecurityHeaders(app);
  installErrorHandling(app);

  await app.register(staticRoutes);
  app.get('/healthz', async () => ({ ok: true }));
  await app.register(async (child) => loginPages(child, ctx));
  await app.register(async (child) => inboxPages(child, ctx));
  await app.register(async (child) => approvalPages(child, ctx));
  await app.register(async (child) => runPages(child, ctx));
  await app.register(async (child) => schedulePages(child, ctx));

  await app.register(async (child) => dashboardPages(child, ctx));
  await app.register(async (child) => queueBoard(child, ctx));
  await app.register(async (child) => codecRoutes(child, ctx));
  await app.register(async (child) => metricsRoute(child, ctx));

  const openapi = readFileSync(openapiPath, 'utf8');
  await app.register(
    async (api) => {
      api.get('/openapi.yaml', async (_request, reply) => reply.type('application/yaml; charset=utf-8').send(openapi));
      api.get('/me', { preHandler: requireUser }, async (request) => ({
        ...request.user!,
        // Cookie-session clients need this for X-CSRF-Token on POSTs.
        csrfToken: request.authVia === 'token' ? undefined : request.session?.csrfToken,
      }));
      await api.register(async (child) => authApi(child, ctx));
      await api.register(async (child) => approvalsApi(child, ctx));
      await api.register(async (child) => runsApi(child, ctx));
      await api.register(async (child) => runConsoleApi(child, ctx));
      await api.register(async (child) => ledgerApi(child, ctx));
      await api.register(async (child) => automationRunsApi(child, ctx));
      await api.register(async (child) => auditApi(child, ctx));
    },
    { prefix: '/api' },
  );
  return app;
}
