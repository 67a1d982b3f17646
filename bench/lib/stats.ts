/** Small numeric helpers for the benchmark reports. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

export function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));

export function line(label: string, value: string): void {
  console.log(`${label.padEnd(46)} ${value}`);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
