/**
 * How fast the `avlasta` command answers: the compiled bin (dist/, built first when stale) run as
 * fresh processes, each command `--runs` times after one unmeasured warm-up, median wall time
 * and CPU (user + system, from /proc/self/stat's children times), beside `node -e 0`, the
 * floor any Node program pays. `npx avlasta --help` shows what npm's own start adds;
 * `--sources 1` adds the same commands run from sources through tsx (development's way).
 *
 *   npm run bench:cli [-- --runs 7 --sources 0|1]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot as repoRoot } from '../package-root.js';
import { numericArgs } from './lib/args.js';
import { fmt, percentile } from './lib/stats.js';

const args = numericArgs({ runs: 7, sources: 0 });
if (!Number.isInteger(args.runs) || args.runs < 1) throw new Error('bench:cli: --runs must be a whole number ≥ 1');

execFileSync('bash', [join(repoRoot, 'scripts/ensure-build.sh')], { stdio: 'inherit' });

const bin = join(
  repoRoot,
  (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as PackageJson).bin.avlasta,
);
const automations = readdirSync(join(repoRoot, 'automations'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => `automations/${f}`);

interface PackageJson {
  bin: { avlasta: string };
}

interface Case {
  label: string;
  command: string[];
  /** Seconds; the SUMMARY line compares the median with it. */
  target?: number;
}

const cases: Case[] = [
  { label: 'node -e 0', command: [process.execPath, '-e', '0'] },
  { label: 'avlasta --help', command: [bin, '--help'], target: 0.5 },
  { label: 'avlasta validate automations/*.yaml', command: [bin, 'validate', ...automations], target: 1.5 },
  { label: 'npx avlasta --help', command: ['npx', '--no-install', 'avlasta', '--help'] },
];
if (args.sources) {
  const tsx = [process.execPath, '--import', 'tsx', 'cli/avlasta.ts'];
  cases.push(
    { label: 'from sources (tsx): avlasta --help', command: [...tsx, '--help'] },
    { label: 'from sources (tsx): avlasta validate …', command: [...tsx, 'validate', ...automations] },
  );
}

/** user + system CPU seconds of the processes this one has waited for (fields 16 and 17). */
function childrenCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // After "pid (comm) ", field 3 (state) is index 0, so field n is index n - 3.
  return (Number(fields[16 - 3]) + Number(fields[17 - 3])) / clockTicksPerSecond;
}
const clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

const median = (values: number[]) => percentile(values, 50);

function runOnce(command: string[]): { wall: number; cpu: number } {
  const cpuBefore = childrenCpuSeconds();
  const started = process.hrtime.bigint();
  const result = spawnSync(command[0]!, command.slice(1), { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0)
    throw new Error(`bench:cli: ${command.join(' ')} exited with ${result.status}: ${String(result.stderr)}`);
  return { wall, cpu: childrenCpuSeconds() - cpuBefore };
}

console.log(`CLI start-up: median of ${args.runs} fresh processes each, after one warm-up run`);
console.log(`${'command'.padEnd(46)} ${'wall s'.padStart(7)} ${'CPU s'.padStart(7)}  target`);
const medians = new Map<string, number>();
for (const c of cases) {
  runOnce(c.command);
  const samples = Array.from({ length: args.runs }, () => runOnce(c.command));
  const wall = median(samples.map((s) => s.wall));
  const cpu = median(samples.map((s) => s.cpu));
  medians.set(c.label, wall);
  const target = c.target === undefined ? '' : `≤ ${c.target} s ${wall <= c.target ? 'met' : 'NOT met'}`;
  console.log(`${c.label.padEnd(46)} ${fmt(wall, 2).padStart(7)} ${fmt(cpu, 2).padStart(7)}  ${target}`);
}

const figure = (label: string) => `${fmt(medians.get(label)!, 2)} s`;
console.log(
  `SUMMARY cli: avlasta --help ${figure('avlasta --help')} (target ≤ 0.5), validate automations/*.yaml ${figure(
    'avlasta validate automations/*.yaml',
  )} (target ≤ 1.5), node -e 0 ${figure('node -e 0')}`,
);
