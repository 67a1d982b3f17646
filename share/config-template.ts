/**
 * The configuration a package's automation needs, as a city copies it into its own
 * avlasta.config.yaml: each system with a placeholder address, the packing city's pace as a
 * starting point, and its secrets as references (never values; a `file:` path of the packing
 * city becomes an environment variable name, since that path means nothing elsewhere).
 */
import { stringify } from 'yaml';
import type { SystemConfig } from '../config.js';

export function placeholderUrl(system: string): string {
  return `https://${system}.example.invalid`;
}

export function secretReferences(system: string, config: SystemConfig | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config?.secrets ?? {}).map(([name, ref]) => [
      name,
      ref.startsWith('env:') ? ref : `env:AVLASTA_${envPart(system)}_${envPart(name)}`,
    ]),
  );
}

export function configTemplate(automation: string, systems: Record<string, SystemConfig | undefined>): string {
  const block = Object.fromEntries(
    Object.entries(systems).map(([system, config]) => {
      const secrets = secretReferences(system, config);
      return [
        system,
        {
          baseUrl: placeholderUrl(system),
          ...(config ? { concurrency: config.concurrency } : {}),
          ...(config?.rateLimit ? { rateLimit: config.rateLimit } : {}),
          ...(Object.keys(secrets).length ? { secrets } : {}),
        },
      ];
    }),
  );
  return [
    `# What the automation ${automation} needs in your avlasta.config.yaml: copy each system under`,
    '# `systems:`, set its baseUrl to where that system answers in your city, adjust the pace',
    '# (concurrency, rateLimit) and allowedHours to what it bears, and provide each secret the way',
    '# its reference says (an environment variable, or file:/path). Secret values never go here.',
    stringify({ systems: block }).trimEnd(),
    '',
  ].join('\n');
}

function envPart(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}
