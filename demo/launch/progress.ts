/**
 * Live progress in the terminal: a small table redrawn in place on a TTY, one line every few
 * seconds otherwise (CI logs).
 */
import type { RunSummary } from '../../workflows/types.js';

export interface ProgressRow {
  automationId: string;
  summary?: RunSummary;
}

export function renderTable(rows: ProgressRow[], elapsedMs: number): string {
  const head = `${'automation'.padEnd(22)} ${'progress'.padEnd(24)} ${'done'.padStart(5)} ${'flagged'.padStart(8)} ${'waiting'.padStart(8)} ${'failed'.padStart(7)} ${'invalid'.padStart(8)}`;
  const lines = rows.map(({ automationId, summary: s }) => {
    if (!s) return `${automationId.padEnd(22)} starting…`;
    const c = s.counts;
    const finished = c.done + c.rejected + c.failed;
    const waiting = Math.max(0, c.flagged - c.approved - c.rejected);
    return `${automationId.padEnd(22)} ${bar(finished, s.total).padEnd(24)} ${String(c.done).padStart(5)} ${String(c.flagged).padStart(8)} ${String(waiting).padStart(8)} ${String(c.failed).padStart(7)} ${String(c.invalid).padStart(8)}`;
  });
  return [head, ...lines, `elapsed ${(elapsedMs / 1000).toFixed(0)} s`].join('\n');
}

function bar(done: number, total: number): string {
  const width = 12;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}

export class ProgressPrinter {
  private lastLines = 0;
  private lastPlain = 0;
  constructor(private readonly out: { isTTY?: boolean; write(text: string): unknown } = process.stdout) {}

  update(rows: ProgressRow[], elapsedMs: number): void {
    const text = renderTable(rows, elapsedMs);
    if (this.out.isTTY) {
      if (this.lastLines > 0) this.out.write(`\x1b[${this.lastLines}F\x1b[0J`);
      this.out.write(`${text}\n`);
      this.lastLines = text.split('\n').length;
    } else if (elapsedMs - this.lastPlain >= 5000) {
      this.lastPlain = elapsedMs;
      this.out.write(`${text}\n`);
    }
  }
}
