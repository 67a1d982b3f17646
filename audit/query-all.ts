/** Every audit entry matching a filter, in seq order, read page by page so a large log never sits in memory. */
import type { AuditEntry, AuditQuery, AuditStore } from './types.js';

export async function* queryAll(
  store: AuditStore,
  filter: Omit<AuditQuery, 'fromSeq' | 'limit'>,
  pageSize = 1000,
): AsyncGenerator<AuditEntry> {
  for (let fromSeq = 1; ;) {
    const page = await store.query({ ...filter, fromSeq, limit: pageSize });
    yield* page;
    if (page.length < pageSize) return;
    fromSeq = page[page.length - 1].seq + 1;
  }
}
