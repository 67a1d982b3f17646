/** The city's pseudonym secret for a definition that keys its items by a pseudonym (definitions/pseudonym.ts). */
import { ConfigError, resolveSecret, type AvlastaConfig } from '../config.js';
import { keySource } from '../definitions/pseudonym.js';
import type { AutomationDefinition } from '../definitions/schema.js';

const MIN_SECRET_CHARS = 16;

/** undefined when the definition needs none; a ConfigError naming what to set when it is missing. */
export function pseudonymSecretFor(
  definition: AutomationDefinition,
  config: AvlastaConfig,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const { field, pseudonym } = keySource(definition);
  if (!pseudonym) return undefined;
  const where = config.configFile ?? 'the configuration file';
  if (!config.pseudonymSecret)
    throw new ConfigError(
      `automation "${definition.id}" keys its items by a pseudonym of ${field}, and no pseudonym secret is configured: set pseudonymSecret in ${where} (e.g. "pseudonymSecret: env:AVLASTA_PSEUDONYM_SECRET" or "file:/etc/avlasta/pseudonym.key"), the same secret for every run`,
    );
  const secret = resolveSecret(config.pseudonymSecret, 'the pseudonym secret (pseudonymSecret)', env);
  if (secret.length < MIN_SECRET_CHARS)
    throw new ConfigError(
      `the pseudonym secret (pseudonymSecret) has ${secret.length} characters; use at least ${MIN_SECRET_CHARS} random ones (openssl rand -base64 32)`,
    );
  return secret;
}
