import { tracePolicies } from '../../config.js';

/** `--name value` / `--name=value` flags with numeric defaults; refuses unknown flags by name. */
export function numericArgs<T extends Record<string, number>>(defaults: T, argv = process.argv.slice(2)): T {
  const out: Record<string, number> = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m)
      throw new Error(
        `bench: unexpected argument "${argv[i]}" (flags: ${Object.keys(defaults)
          .map((k) => `--${k}`)
          .join(' ')})`,
      );
    const name = m[1];
    if (!(name in defaults))
      throw new Error(
        `bench: unknown flag --${name} (known: ${Object.keys(defaults)
          .map((k) => `--${k}`)
          .join(' ')})`,
      );
    const raw = m[2] ?? argv[++i];
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0)
      throw new Error(`bench: --${name} needs a non-negative number, got "${raw}"`);
    out[name] = value;
  }
  return out as T;
}

/**
 * The bot worker's per-job extras from `--trace 0|1|2` (always, retries = the product default,
 * off) and `--screenshots 0|1|2` (before approvals = the product default, always, never), as
 * configuration values.
 */
export function jobExtrasFromArgs(args: { trace: number; screenshots: number }) {
  const botTracing = tracePolicies[args.trace];
  const evidenceScreenshots = (['before-approval', 'always', 'never'] as const)[args.screenshots];
  if (!botTracing || !evidenceScreenshots) throw new Error('bench: --trace and --screenshots take 0, 1 or 2');
  return { botTracing, evidenceScreenshots };
}
