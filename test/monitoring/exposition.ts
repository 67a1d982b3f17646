/** Reading Prometheus exposition text in tests, and running promtool (set-up: scripts/ensure-promtool.sh). */
import { execFile } from 'node:child_process';

/** series name → [labels, value] of each sample. */
export type Samples = Map<string, { labels: Record<string, string>; value: number }[]>;

export function parseExposition(text: string): Samples {
  const out: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    const list = out.get(m[1]!) ?? [];
    list.push({ labels, value: Number(m[3]) });
    out.set(m[1]!, list);
  }
  return out;
}

/** The value of the one sample of `name` whose labels include `labels`; throws when there is none. */
export function sample(samples: Samples, name: string, labels: Record<string, string>): number {
  const found = (samples.get(name) ?? []).filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length !== 1) throw new Error(`${name}${JSON.stringify(labels)}: ${found.length} samples`);
  return found[0]!.value;
}

export const promtoolPath = process.env.AVLASTA_PROMTOOL || 'promtool';

export function promtool(args: string[], stdin?: string, cwd?: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = execFile(promtoolPath, args, { cwd }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new Error(
          `promtool not found (${promtoolPath}): run bash scripts/ensure-promtool.sh or set AVLASTA_PROMTOOL`,
        );
      resolve({ code: err ? Number(err.code ?? 1) : 0, out: (stdout + stderr).trim() });
    });
    child.stdin?.end(stdin ?? '');
  });
}
