/**
 * Where the CPU goes during a benchmark phase, from /proc: the whole machine (all cores, busy
 * jiffies of /proc/stat), this Node process, the Temporal server and Redis. What is left of the
 * machine's time is Chromium (and anything else running, so run on a quiet machine).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { descendants } from '../../metrics/proc-mem.js';

export interface CpuSnapshot {
  machineMs: number;
  selfMs: number;
  temporalMs: number;
  redisMs: number;
}

const JIFFY_MS = 10; // USER_HZ is 100 on Linux

function machineBusyMs(): number {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return (user + nice + system + irq + softirq + steal) * JIFFY_MS;
}

/** Pids whose command line matches, found once: the services do not restart during a benchmark. */
function findPids(match: (cmdline: string) => boolean): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (match(readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' '))) pids.push(Number(name));
    } catch {
      // ended while we looked
    }
  }
  return pids;
}

/** utime + stime of these processes (not their children), 0 for one that is gone. */
export function processCpuMs(pids: number[]): number {
  let ms = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ms += (Number(fields[11]) + Number(fields[12])) * JIFFY_MS; // utime, stime
    } catch {
      // gone
    }
  }
  return ms;
}

/**
 * CPU of every descendant of this process (Chromium's browser, GPU and renderer processes when
 * Playwright launched them), including children that already exited and were reaped. Steadier
 * than the machine's total for a browser-side cost: other processes' noise stays out.
 */
export function descendantsCpuMs(): number {
  let ms = 0;
  for (const pid of descendants(process.pid)) {
    if (pid === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime, stime, and cutime/cstime: renderers that ended are counted in their parent.
      ms += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * JIFFY_MS;
    } catch {
      // gone
    }
  }
  return ms;
}

export interface CpuMeter {
  snapshot(): CpuSnapshot;
  /** What each part spent between two snapshots. */
  between(a: CpuSnapshot, b: CpuSnapshot): CpuSnapshot & { restMs: number };
  found: { temporal: number; redis: number };
}

export function createCpuMeter(): CpuMeter {
  const temporal = findPids((c) => c.includes('server start-dev'));
  const redis = findPids((c) => c.startsWith('redis-server'));
  return {
    found: { temporal: temporal.length, redis: redis.length },
    snapshot() {
      const self = process.cpuUsage();
      return {
        machineMs: machineBusyMs(),
        selfMs: (self.user + self.system) / 1000,
        temporalMs: processCpuMs(temporal),
        redisMs: processCpuMs(redis),
      };
    },
    between(a, b) {
      const d = {
        machineMs: b.machineMs - a.machineMs,
        selfMs: b.selfMs - a.selfMs,
        temporalMs: b.temporalMs - a.temporalMs,
        redisMs: b.redisMs - a.redisMs,
      };
      return { ...d, restMs: d.machineMs - d.selfMs - d.temporalMs - d.redisMs };
    },
  };
}
