/**
 * Reads a V8 CPU profile (`node --cpu-prof`) and prints where the process spent its time: self
 * time by package (node_modules/<name>, or the repository folder) and the top functions.
 * Used to find what the Temporal worker and the bot worker spend next to Chromium.
 *
 *   npx tsx bench/profile-summary.ts <file.cpuprofile> [--top 25]
 */
import { readFileSync } from 'node:fs';
import { fmt, line } from './lib/stats.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [file, ...rest] = process.argv.slice(2);
if (!file) throw new Error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [--top N]');
const top = rest[0] === '--top' ? Number(rest[1]) : 25;
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;

// Self time per node: each sample's time delta belongs to the node sampled.
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));

/** node_modules/<pkg> (scoped too), a repository folder, or V8's own categories. */
function packageOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  if (url.startsWith('node:')) return 'node core';
  const repo =
    /\/work\/[^/]+\/([^/]+)\//.exec(url) ??
    /file:\/\/.*?\/(bench|workflows|activities|bot-runtime|engine|server|audit|store|temporal|bots|definitions)\//.exec(
      url,
    );
  return repo
    ? repo[1]
    : url
        .replace(/^file:\/\//, '')
        .split('/')
        .slice(-2)
        .join('/');
}

const packages = new Map<string, number>();
const functions = new Map<string, number>();
let total = 0;
for (const [id, us] of selfUs) {
  const node = byId.get(id);
  if (!node) continue;
  total += us;
  const { functionName, url, lineNumber } = node.callFrame;
  const pkg = packageOf(url, functionName);
  packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  const name =
    `${functionName || '(anonymous)'} ${url ? `${url.split('/').slice(-2).join('/')}:${lineNumber + 1}` : ''}`.trim();
  functions.set(name, (functions.get(name) ?? 0) + us);
}

const wallMs = (profile.endTime - profile.startTime) / 1000;
const idleMs =
  [...selfUs].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((a, [, us]) => a + us, 0) /
  1000;
line('profile wall time / busy (not idle)', `${fmt(wallMs / 1000)} s / ${fmt((total / 1000 - idleMs) / 1000)} s`);
const print = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
    line(`  ${name.slice(0, 80)}`, `${fmt(us / 1000, 0)} ms  ${fmt((100 * us) / total)} %`);
};
print('self time by package', packages);
print('self time by function', functions);
