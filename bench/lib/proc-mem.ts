/**
 * Memory of a process tree from /proc: PSS (proportional set size, shared pages split between
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
  for (const name of readdirSync('/proc')) {
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
