/** `avlasta bot try`'s work: the bot from the registry, its system's address and secrets from the configuration. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveSecrets, type AvlastaConfig } from '../config.js';
import type { BotRegistry } from '../bots/registry.js';
import { tryBot, type TryBotResult } from '../bot-runtime/try-bot.js';
import { CliError } from './cli-error.js';

export async function tryBotFromConfig(
  config: AvlastaConfig,
  registry: BotRegistry,
  botId: string,
  input: unknown,
  trace: boolean,
): Promise<TryBotResult> {
  const bot = registry.get(botId);
  if (!bot) throw new CliError(`unknown bot "${botId}" (known: ${[...registry.keys()].join(', ') || 'none'})`);
  const system = botId.split('.')[0];
  const settings = config.systems[system];
  if (!settings)
    throw new CliError(`no system "${system}" in ${config.configFile ?? 'the configuration'} (systems.${system})`);
  // The data dir holds evidence that may show personal data: owner-only, as the workers keep it.
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  return tryBot({
    bot,
    input,
    baseUrl: settings.baseUrl,
    secrets: resolveSecrets(system, config),
    artifactRoot: join(config.dataDir, 'artifacts', 'tries'),
    trace,
    chromiumPath: config.chromiumPath,
  });
}
