/**
 * Configuration is parsed once, here, from the environment and an optional YAML file, and passed
 * down. Bots and activities never read process.env themselves.
 *
 * Precedence: environment variables > the file named by AVLASTA_CONFIG (default
 * ./avlasta.config.yaml, the embedded demo defaults) > built-in defaults.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { evidencePolicies } from './definitions/evidence.js';

const dayNames = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** Which bot attempts record a Playwright trace: see `botTracing` below. */
export const tracePolicies = ['always', 'retries', 'off'] as const;
export type TracePolicy = (typeof tracePolicies)[number];
const isoDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a date such as "2026-12-28"');
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day such as "07:30"');

/** A secret given by reference: "env:NAME" (an environment variable) or "file:/path". */
const secretRef = z.string().regex(/^(env|file):.+$/, 'a reference "env:NAME" or "file:/path"');

export const allowedHoursSchema = z
  .object({
    /** @defaultValue 'Europe/Stockholm' */
    timezone: z.string().default('Europe/Stockholm'),
    windows: z.array(z.object({ days: z.array(z.enum(dayNames)).min(1), from: clock, to: clock }).strict()).min(1),
    /**
     * 'closed': no window opens on a Swedish public holiday or a day-off eve (julafton,
     * midsommarafton, nyårsafton; calendar/swedish-holidays.ts). @defaultValue 'closed'
     */
    publicHolidays: z.enum(['closed', 'open']).optional(),
    /** The system's own closure dates besides holidays ("YYYY-MM-DD", in its time zone): no window opens on them. */
    closedDates: z.array(isoDate).optional(),
  })
  .strict();

export const systemSchema = z
  .object({
    /** Where the target system lives; bots get it as ctx.baseUrl. */
    baseUrl: z.string().url(),
    /** Jobs one bot worker runs at once for this system. @defaultValue 2 */
    concurrency: z.number().int().min(1).max(64).default(2),
    /** At most `max` jobs per `perMs` across all bot workers (BullMQ's Redis-based limiter). */
    rateLimit: z
      .object({ max: z.number().int().min(1), perMs: z.number().int().min(1) })
      .strict()
      .optional(),
    /** When absent, any time is allowed. */
    allowedHours: allowedHoursSchema.optional(),
    /** name → "env:VAR" (read from the environment) or "file:/path" (read from a file). */
    secrets: z.record(z.string(), secretRef).default({}),
  })
  .strict();

const role = z.string().regex(/^[a-z0-9][a-z0-9._:-]*$/, 'a role such as "ops"');

/** The codec server for the Temporal Web UI (server/routes/codec.ts). */
export const codecSchema = z
  .object({
    /**
     * Origins of the Temporal Web UI allowed to call the codec endpoints from a browser (CORS).
     * @defaultValue the origin of temporal.uiUrl
     */
    uiOrigins: z.array(z.string().url()).optional(),
    /** Roles that may decode payloads (see item data) in the Temporal UI. @defaultValue ['ops', 'auditor'] */
    decodeRoles: z.array(role).default(['ops', 'auditor']),
    /** Roles that may encode (send a signal or start a workflow with input from the UI). @defaultValue ['ops'] */
    encodeRoles: z.array(role).default(['ops']),
    /** Roles that see personal identity numbers unmasked in decoded payloads. @defaultValue [] (masked for all) */
    personalDataRoles: z.array(role).default([]),
  })
  .strict();

/** Prometheus endpoints (metrics/). The server serves /metrics on its own port. */
export const metricsSchema = z
  .object({
    /** Address the workers' metrics endpoints listen on. @defaultValue '127.0.0.1' */
    host: z.string().default('127.0.0.1'),
    /** The Temporal worker's /metrics (with the Temporal SDK's own series). 0 turns it off. @defaultValue 9464 */
    temporalWorkerPort: z.number().int().min(0).max(65535).default(9464),
    /** A bot worker's /metrics. 0 turns it off; several bot workers on one host need one port each (AVLASTA_METRICS_PORT). @defaultValue 9465 */
    botWorkerPort: z.number().int().min(0).max(65535).default(9465),
    /** Loopback port of the Temporal SDK's own Prometheus exporter, read by the worker's /metrics. @defaultValue 9466 */
    temporalSdkPort: z.number().int().min(1).max(65535).default(9466),
    /** When set, /metrics wants `Authorization: Bearer <token>` (a reference "env:NAME" or "file:/path"). */
    token: secretRef.optional(),
  })
  .strict();

/** Mail and webhook notices (notify/). */
export const notificationsSchema = z
  .object({
    smtp: z
      .object({
        host: z.string(),
        /** @defaultValue 587 */
        port: z.number().int().min(1).max(65535).default(587),
        /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. @defaultValue false */
        secure: z.boolean().default(false),
        user: z.string().optional(),
        password: secretRef.optional(),
        /** The sender, e.g. "Avlasta <avlasta@stad.se>". */
        from: z.string().min(3),
      })
      .strict()
      .optional(),
    /** JSON POSTs for Teams/Slack-style receivers, signed with HMAC-SHA256 (X-Avlasta-Signature). */
    webhook: z.object({ url: z.string().url(), secret: secretRef }).strict().optional(),
    /** How often the server looks for something to tell. @defaultValue 60 */
    sweepSeconds: z.number().int().min(5).default(60),
    /** At most one "items wait for you" mail per person per this many minutes. @defaultValue 60 */
    digestMinutes: z.number().int().min(1).default(60),
    /** A reminder this many hours before an approval is due. @defaultValue 24 */
    reminderHours: z.number().min(0).default(24),
    /**
     * What a mail may say about items: 'items' (each item's key, the reason it waits and a link
     * to it) or 'counts' (numbers per automation and a link to the inbox). Item keys are never
     * personal identity numbers (the definition check refuses them), and personal identity
     * numbers are masked either way. @defaultValue 'items'
     */
    mailDetail: z.enum(['items', 'counts']).default('items'),
    failureRate: z
      .object({
        /** Share of failed items over the window that alerts the owners. @defaultValue 0.2 */
        threshold: z.number().gt(0).max(1).default(0.2),
        /** Fewer finished items in the window say nothing. @defaultValue 10 */
        minItems: z.number().int().min(1).default(10),
        /** @defaultValue 60 */
        windowMinutes: z.number().int().min(1).default(60),
        /** automation id → the user ids told when its failure rate crosses the threshold; people with role ops otherwise. */
        owners: z.record(z.string(), z.array(z.string())).default({}),
      })
      .strict()
      .default({ threshold: 0.2, minItems: 10, windowMinutes: 60, owners: {} }),
  })
  .strict();

const automationId = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a kebab-case automation id');

/** What starts runs besides a person: the file-drop watcher and the webhook (triggers/, docs/OPERATING.md). */
export const triggersSchema = z
  .object({
    /** Where the automations' drop folders are, one per automation: <inboxDir>/<automation>/. @defaultValue <dataDir>/inbox */
    inboxDir: z.string().optional(),
    /** automation id → its own drop folder instead of <inboxDir>/<automation>/ (e.g. a share the office writes to). */
    folders: z.record(automationId, z.string().min(1)).default({}),
    /** The automations the watcher serves. @defaultValue every automation in the automations folder */
    watch: z.array(automationId).optional(),
    /** A file is complete once its size and modification time have not changed for this long. @defaultValue 5 */
    stableSeconds: z.number().min(0).default(5),
    /** Every folder is also scanned this often (file-system events are not delivered on every file system). @defaultValue 10 */
    scanSeconds: z.number().gt(0).default(10),
    /** automation id → roles that may start its runs through POST /api/automations/:id/runs, besides ops. */
    webhookRoles: z.record(automationId, z.array(role).min(1)).default({}),
  })
  .strict();

const fileSchema = z
  .object({
    temporal: z
      .object({
        address: z.string().default('127.0.0.1:7233'),
        namespace: z.string().default('default'),
        taskQueue: z.string().default('avlasta'),
        uiUrl: z.string().default('http://127.0.0.1:8233'),
        /**
         * Mutual TLS to Temporal (docs/SECURITY.md): the CA that signed the server's certificate,
         * this process's own certificate and key, and the name in the server's certificate.
         * Absent: plain gRPC, for a Temporal that only administrators' machines can reach.
         */
        tls: z
          .object({
            serverCaCert: z.string(),
            clientCert: z.string(),
            clientKey: z.string(),
            serverName: z.string().optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({
        address: '127.0.0.1:7233',
        namespace: 'default',
        taskQueue: 'avlasta',
        uiUrl: 'http://127.0.0.1:8233',
      }),
    redisUrl: z.string().default('redis://127.0.0.1:6379'),
    /** PostgreSQL URL for the audit and state store; SQLite under dataDir when absent. */
    databaseUrl: z.string().optional(),
    dataDir: z.string().default('.avlasta'),
    chromiumPath: z.string().optional(),
    /** The inbox's address as staff reach it: links in notification mails point here. */
    publicUrl: z.string().url().default('http://127.0.0.1:8080'),
    codec: codecSchema.default(codecSchema.parse({})),
    metrics: metricsSchema.default(metricsSchema.parse({})),
    notifications: notificationsSchema.default(notificationsSchema.parse({})),
    triggers: triggersSchema.default(triggersSchema.parse({})),
    /** Bot worker relaunches its browser after this many jobs. @defaultValue 500 */
    browserRecycleAfterJobs: z.number().int().min(1).default(500),
    /**
     * Which successful browser steps keep a screenshot of their last page, as evidence for
     * approvers (definitions/evidence.ts): 'before-approval' (steps an approval step comes after),
     * 'always', or 'never'; `true`/`false` mean 'always'/'never'. @defaultValue 'before-approval'
     */
    evidenceScreenshots: z
      .union([z.enum(evidencePolicies), z.boolean().transform((on) => (on ? 'always' : 'never'))], {
        error: "must be 'before-approval', 'always' or 'never' (true and false mean 'always' and 'never')",
      })
      .default('before-approval'),
    /**
     * Which bot attempts record a Playwright trace (kept only when the attempt fails). Recording
     * costs CPU on every job, failed or not (a large share of a short form task's, bench/RESULTS.md),
     * so by default only retries record one: a first failure keeps its screenshot and error, and a
     * step that fails again is traced. 'always' traces every attempt, 'off' never.
     * @defaultValue 'retries'
     */
    botTracing: z.enum(tracePolicies).default('retries'),
    /**
     * The city's secret for pseudonymous item keys (`items.key: { pseudonym: <field> }`), a
     * reference "env:NAME" or "file:/path" to at least 16 random characters. The same for every
     * run: changing it changes every such key, and the ledger no longer knows what was done.
     */
    pseudonymSecret: secretRef.optional(),
    /** Key (base64, 32 bytes) encrypting Temporal payloads; generated under dataDir when absent. */
    payloadKey: z.string().optional(),
    /**
     * The audit log's Ed25519 signing key (PEM, 0600), created when missing. Outside the database
     * on purpose: someone who can rewrite the database must not also be able to sign checkpoints.
     * @defaultValue <dataDir>/audit-signing.key
     */
    auditSigningKeyFile: z.string().optional(),
    /**
     * The file signed audit checkpoints are appended to (O_APPEND; make it `chattr +a`).
     * @defaultValue <dataDir>/audit-checkpoints.jsonl, or audit-checkpoints-<schema>.jsonl with PostgreSQL
     */
    auditCheckpointFile: z.string().optional(),
    systems: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), systemSchema).default({}),
    /**
     * Where the bots are (bot-runtime/load-bots.ts). An entry starting with "./", "../" or "/" is a
     * path relative to this file: a folder scanned for files exporting defineBot(...) results, or
     * one such file. Any other entry is an npm package, resolved from this file's folder and
     * imported. @defaultValue Avlasta's own bots/ folder (the demo systems' bots)
     */
    bots: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();

/** Avlasta's own bots, beside this file in the source tree and in the compiled dist/ alike. */
export const builtInBotsDir = fileURLToPath(new URL('./bots', import.meta.url));

export type AvlastaConfig = Omit<z.infer<typeof fileSchema>, 'bots'> & {
  /** Absolute paths and package names; paths are resolved against the config file's folder. */
  bots: string[];
  configFile?: string;
};
export type NotificationsConfig = z.infer<typeof notificationsSchema>;
export type SystemConfig = z.infer<typeof systemSchema>;
export type AllowedHours = z.infer<typeof allowedHoursSchema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AvlastaConfig {
  const configFile = resolve(cwd, env.AVLASTA_CONFIG ?? 'avlasta.config.yaml');
  let raw: Record<string, unknown> = {};
  if (existsSync(configFile)) {
    try {
      raw = (parseYaml(readFileSync(configFile, 'utf8')) as Record<string, unknown>) ?? {};
    } catch (err) {
      throw new ConfigError(`${configFile}: ${(err as Error).message}`);
    }
  } else if (env.AVLASTA_CONFIG) {
    throw new ConfigError(`AVLASTA_CONFIG names ${configFile}, which does not exist`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${configFile}: ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(lines.join('\n'));
  }
  const bots = parsed.data.bots?.map((entry) =>
    /^(\.{1,2}(\/|$)|\/)/.test(entry) ? resolve(dirname(configFile), entry) : entry,
  ) ?? [builtInBotsDir];
  const config: AvlastaConfig = { ...parsed.data, bots, configFile };
  if (env.TEMPORAL_ADDRESS) config.temporal.address = env.TEMPORAL_ADDRESS;
  if (env.TEMPORAL_NAMESPACE) config.temporal.namespace = env.TEMPORAL_NAMESPACE;
  if (env.AVLASTA_TASK_QUEUE) config.temporal.taskQueue = env.AVLASTA_TASK_QUEUE;
  // The names Temporal's own CLI and SDKs read for the same settings.
  if (env.TEMPORAL_TLS_SERVER_CA_CERT_PATH || env.TEMPORAL_TLS_CLIENT_CERT_PATH || env.TEMPORAL_TLS_CLIENT_KEY_PATH) {
    const [serverCaCert, clientCert, clientKey] = [
      env.TEMPORAL_TLS_SERVER_CA_CERT_PATH,
      env.TEMPORAL_TLS_CLIENT_CERT_PATH,
      env.TEMPORAL_TLS_CLIENT_KEY_PATH,
    ];
    if (!serverCaCert || !clientCert || !clientKey)
      throw new ConfigError(
        'mutual TLS to Temporal needs all three of TEMPORAL_TLS_SERVER_CA_CERT_PATH, TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH',
      );
    config.temporal.tls = { serverCaCert, clientCert, clientKey, serverName: env.TEMPORAL_TLS_SERVER_NAME };
  }
  if (env.REDIS_URL) config.redisUrl = env.REDIS_URL;
  if (env.AVLASTA_DATABASE_URL) config.databaseUrl = env.AVLASTA_DATABASE_URL;
  if (env.AVLASTA_DATA_DIR) config.dataDir = env.AVLASTA_DATA_DIR;
  if (env.AVLASTA_CHROMIUM) config.chromiumPath = env.AVLASTA_CHROMIUM;
  if (env.AVLASTA_PAYLOAD_KEY) config.payloadKey = env.AVLASTA_PAYLOAD_KEY;
  if (env.AVLASTA_AUDIT_SIGNING_KEY_FILE) config.auditSigningKeyFile = env.AVLASTA_AUDIT_SIGNING_KEY_FILE;
  if (env.AVLASTA_AUDIT_CHECKPOINT_FILE) config.auditCheckpointFile = env.AVLASTA_AUDIT_CHECKPOINT_FILE;
  if (env.AVLASTA_PUBLIC_URL) config.publicUrl = env.AVLASTA_PUBLIC_URL;
  if (env.AVLASTA_INBOX_DIR) config.triggers.inboxDir = env.AVLASTA_INBOX_DIR;
  if (env.AVLASTA_METRICS_HOST) config.metrics.host = env.AVLASTA_METRICS_HOST;
  if (env.AVLASTA_METRICS_PORT)
    config.metrics.botWorkerPort = config.metrics.temporalWorkerPort = port(env.AVLASTA_METRICS_PORT);
  config.dataDir = resolve(cwd, config.dataDir);
  // Folders, like the data dir, are relative to where the process runs.
  if (config.triggers.inboxDir) config.triggers.inboxDir = resolve(cwd, config.triggers.inboxDir);
  for (const [id, folder] of Object.entries(config.triggers.folders))
    config.triggers.folders[id] = resolve(cwd, folder);
  if (config.auditSigningKeyFile) config.auditSigningKeyFile = resolve(cwd, config.auditSigningKeyFile);
  if (config.auditCheckpointFile) config.auditCheckpointFile = resolve(cwd, config.auditCheckpointFile);
  return config;
}

/** Resolves a system's secret references. Throws naming the secret, never printing its value. */
export function resolveSecrets(
  system: string,
  config: AvlastaConfig,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const refs = config.systems[system]?.secrets ?? {};
  return Object.fromEntries(
    Object.entries(refs).map(([name, ref]) => [
      name,
      resolveSecret(ref, `secret "${name}" of system "${system}"`, env),
    ]),
  );
}

/** Reads one "env:NAME" or "file:/path" reference; `what` names it in the error (never the value). */
export function resolveSecret(ref: string, what: string, env: NodeJS.ProcessEnv = process.env): string {
  const [kind, target] = [ref.slice(0, ref.indexOf(':')), ref.slice(ref.indexOf(':') + 1)];
  const value = kind === 'env' ? env[target] : existsSync(target) ? readFileSync(target, 'utf8').trim() : undefined;
  if (!value)
    throw new ConfigError(
      `${what} is not set (${kind === 'env' ? `environment variable ${target}` : `file ${target}`})`,
    );
  return value;
}

function port(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ConfigError(`AVLASTA_METRICS_PORT must be 0–65535, not "${text}"`);
  return n;
}
