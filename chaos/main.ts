/**
 * `npm run chaos [-- --items 1000 --seed 1 --per-kind 3 --short]`: the chaos suite at full size
 * (chaos/run-chaos.ts). Prints the fault timeline, per-fault counts, any failure with its item
 * keys and the faults around them, and one `SUMMARY chaos:` line; exits 1 on any failure.
 */
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { faultKinds, fullTiming, shortTiming, type FaultKind } from './faults.js';
import { runChaos } from './run-chaos.js';

const whole = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a whole number of at least 1`);
  return n;
};

const program = new Command('chaos')
  .description(
    'Runs a real automation while killing, cutting and restarting what it runs on, then checks exactly-once.',
  )
  .option('--items <n>', 'rows in the input file', whole('--items'), 1000)
  .option('--seed <n>', 'seed of the items, the trouble and the fault schedule', whole('--seed'), 1)
  .option('--per-kind <n>', 'injections of each fault kind', whole('--per-kind'), 3)
  .option('--kinds <list>', `fault kinds, comma-separated (${faultKinds.join(', ')})`)
  .option('--short', 'the CI timing: shorter gaps and target slowdown')
  .option('--dir <path>', 'working directory (emptied first)', '.avlasta/chaos')
  .option('--database <name>', 'PostgreSQL database the suite creates for its audit store', 'avlasta_chaos')
  .parse();

const opts = program.opts<{
  items: number;
  seed: number;
  perKind: number;
  kinds?: string;
  short?: boolean;
  dir: string;
  database: string;
}>();
const kinds = opts.kinds?.split(',').map((k) => k.trim()) as FaultKind[] | undefined;
const unknown = kinds?.filter((k) => !faultKinds.includes(k));
if (unknown?.length) program.error(`unknown fault kind(s): ${unknown.join(', ')} (known: ${faultKinds.join(', ')})`);

const stop = new AbortController();
for (const name of ['SIGINT', 'SIGTERM'] as const)
  process.once(name, () => {
    console.log(`${name}: stopping; taking the suite's services and workers down`);
    stop.abort(new Error(`stopped by ${name}`));
  });

const result = await runChaos({
  signal: stop.signal,
  items: opts.items,
  seed: opts.seed,
  perKind: opts.perKind,
  kinds,
  timing: opts.short ? shortTiming : fullTiming,
  dir: resolve(opts.dir),
  postgresUrl: process.env.AVLASTA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  database: opts.database,
  finishTimeoutMs: Math.max(600_000, opts.items * 3_000),
  log: (line) => console.log(line),
});
process.exit(result.ok ? 0 : 1);
