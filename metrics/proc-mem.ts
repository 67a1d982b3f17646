/**
 * Memory of a process tree from /proc (Linux; elsewhere every figure is 0): PSS (proportional set size, shared pages split between
 * the processes that map them) from smaps_rollup, and RSS. PSS of a tree sums without double
 * counting the Chromium processes' shared libraries.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface TreeMemory {
  pssMb: number;
  rssMb: number;
  processes: number;
}

function field(text: string, name: string): number {
  const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
  return m ? Number(m[1]) / 1024 : 0;
}

function childrenMap(): Map<number, number[]> {
  const map = new Map<number, number[]>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return map; // no /proc: not Linux
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command may hold spaces and parentheses: the ppid is the 2nd field after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = map.get(ppid) ?? [];
      list.push(Number(name));
      map.set(ppid, list);
    } catch {
      // the process ended while we looked
    }
  }
  return map;
}

export function descendants(pid: number): number[] {
  const map = childrenMap();
  const out: number[] = [];
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(map.get(p) ?? []));
  }
  return out;
}

export function treeMemory(pid: number): TreeMemory {
  let pssMb = 0;
  let rssMb = 0;
  let processes = 0;
  for (const p of descendants(pid)) {
    try {
      const text = readFileSync(`/proc/${p}/smaps_rollup`, 'utf8');
      pssMb += field(text, 'Pss');
      rssMb += field(text, 'Rss');
      processes++;
    } catch {
      // gone
    }
  }
  return { pssMb, rssMb, processes };
}

/** PSS of the Chromium processes below `pid` (the bot worker's browsers), the node process itself left out. */
export function chromiumMemory(pid: number): { pssBytes: number; processes: number } {
  let pssBytes = 0;
  let processes = 0;
  for (const p of descendants(pid)) {
    if (p === pid || processKind(p) === 'node' || !commandOf(p).includes('chrom')) continue;
    try {
      pssBytes += field(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'), 'Pss') * 1024 * 1024;
      processes++;
    } catch {
      // gone
    }
  }
  return { pssBytes, processes };
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
  } catch {
    return '';
  }
}

/** What a process of the tree is: node, Chromium's browser, or its --type (and utility sub-type). */
function processKind(pid: number): string {
  try {
    // Chromium rewrites its command line into one space-separated string.
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
    if (args[0].endsWith('node')) return 'node';
    const type = args.find((a) => a.startsWith('--type='))?.slice(7);
    if (!type) return args[0].includes('chrom') ? 'chromium browser' : args[0];
    const sub = args.find((a) => a.startsWith('--utility-sub-type='))?.slice(19);
    return sub ? `${type} ${sub}` : type;
  } catch {
    return 'gone';
  }
}

/** PSS per kind of process in the tree (count and MB), largest first: where the memory is. */
export function treeBreakdown(pid: number): { kind: string; count: number; pssMb: number }[] {
  const kinds = new Map<string, { count: number; pssMb: number }>();
  for (const p of descendants(pid)) {
    try {
      const pss = field(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'), 'Pss');
      const kind = processKind(p);
      const k = kinds.get(kind) ?? { count: 0, pssMb: 0 };
      k.count++;
      k.pssMb += pss;
      kinds.set(kind, k);
    } catch {
      // gone
    }
  }
  return [...kinds].map(([kind, v]) => ({ kind, ...v })).sort((a, b) => b.pssMb - a.pssMb);
}
