/**
 * Writes audit entries as JSON Lines or CSV for auditors, page by page so a large log never sits
 * in memory, honouring the output stream's back-pressure. The caller ends the stream.
 */
import { entryToParams } from './entry.js';
import { queryAll } from './query-all.js';
import type { AuditEntry, AuditStore } from './types.js';

export type ExportFormat = 'jsonl' | 'csv';

export interface ExportFilter {
  runId?: string;
  automationId?: string;
}

export const csvHeader = [
  'seq',
  'at',
  'actorKind',
  'actorId',
  'event',
  'automationId',
  'runId',
  'itemKey',
  'stepId',
  'details',
  'artifacts',
  'prevHash',
  'hash',
];

/**
 * One CSV field. A field a spreadsheet would run as a formula (=, +, -, @, tab or CR first: an
 * item key like =HYPERLINK(…) comes from an uploaded file) gets a leading ' so it stays text.
 */
export function csvField(value: string | number): string {
  const text = String(value);
  const s = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsvLine(e: AuditEntry): string {
  return `${entryToParams(e).map(csvField).join(',')}\r\n`;
}

export function toJsonLine(e: AuditEntry): string {
  const { seq, at, actor, event, automationId, runId, itemKey, stepId, details, artifacts, prevHash, hash } = e;
  return `${JSON.stringify({ seq, at, actor, event, automationId, runId, itemKey, stepId, details, artifacts, prevHash, hash })}\n`;
}

function write(out: NodeJS.WritableStream, chunk: string): Promise<void> {
  if (out.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onDrain = () => (out.off('error', onError), resolve());
    const onError = (err: Error) => (out.off('drain', onDrain), reject(err));
    out.once('drain', onDrain).once('error', onError);
  });
}

/** Returns the number of entries written. */
export async function exportAudit(
  store: AuditStore,
  format: ExportFormat,
  out: NodeJS.WritableStream,
  filter: ExportFilter = {},
): Promise<number> {
  if (format !== 'jsonl' && format !== 'csv')
    throw new Error(`audit export: format must be jsonl or csv (got ${JSON.stringify(format)})`);
  const line = format === 'csv' ? toCsvLine : toJsonLine;
  if (format === 'csv') await write(out, `${csvHeader.join(',')}\r\n`);
  let count = 0;
  for await (const e of queryAll(store, filter)) {
    await write(out, line(e));
    count++;
  }
  return count;
}
