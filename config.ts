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
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day such as "07:30"');

export const allowedHoursSchema = z
  .object({
    /** @defaultValue 'Europe/Stockholm' */
    timezone: z.string().default('Europe/Stockholm'),
    windows: z.array(z.object({ days: z.array(z.enum(dayNames)).min(1), from: clock, to: clock }).strict()).min(1),
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
    secrets: z
      .record(z.string(), z.string().regex(/^(env|file):.+$/, 'a reference "env:NAME" or "file:/path"'))
      .default({}),
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
    /** Optional webhook called on escalations (POST JSON). */
    notifyWebhookUrl: z.string().url().optional(),
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
  config.dataDir = resolve(cwd, config.dataDir);
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
  const out: Record<string, string> = {};
  for (const [name, ref] of Object.entries(refs)) {
    const [kind, target] = [ref.slice(0, ref.indexOf(':')), ref.slice(ref.indexOf(':') + 1)];
    const value = kind === 'env' ? env[target] : existsSync(target) ? readFileSync(target, 'utf8').trim() : undefined;
    if (!value) {
      throw new ConfigError(
        `secret "${name}" of system "${system}" is not set (${kind === 'env' ? `environment variable ${target}` : `file ${target}`})`,
      );
    }
    out[name] = value;
  }
  return out;
}
