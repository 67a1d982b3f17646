/**
 * Waits until a Temporal server answers at an address (a real gRPC call, not just an open port)
 * and makes sure Avlasta's search attributes exist in the namespace. Needs no Temporal CLI, so a
 * server named by TEMPORAL_ADDRESS works without building anything.
 *
 *   tsx scripts/temporal-ready.ts --print-flags            one "Name=Type" per line (start-dev)
 *   tsx scripts/temporal-ready.ts <address> [seconds] [namespace]
 *
 * Exit codes: 0 ready, 2 no Temporal server answered in time, 3 search attributes are wrong.
 */
import { Connection } from '@temporalio/client';
import { SA, searchAttributeFlags } from '../temporal/names.js';

// Numbers of temporal.api.enums.v1.IndexedValueType; @temporalio/proto is not a direct dependency.
const indexedValueType: Record<string, number> = {
  TEXT: 1,
  KEYWORD: 2,
  INT: 3,
  DOUBLE: 4,
  BOOL: 5,
  DATETIME: 6,
  KEYWORD_LIST: 7,
};

async function connectWithin(address: string, seconds: number): Promise<Connection> {
  const deadline = Date.now() + seconds * 1000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      return await Connection.connect({ address, connectTimeout: '3s' });
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  console.error(
    `no Temporal server answered at ${address} within ${seconds}s: ${(lastError as Error)?.message ?? 'timeout'}`,
  );
  process.exit(2);
}

async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const existing = (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
  const missing: Record<string, number> = {};
  for (const key of Object.values(SA)) {
    const wanted = indexedValueType[key.type];
    if (wanted === undefined) throw new Error(`search attribute ${key.name}: unknown type ${key.type}`);
    const have = existing[key.name];
    if (have === undefined || have === null) missing[key.name] = wanted;
    else if (Number(have) !== wanted) {
      console.error(
        `search attribute ${key.name} exists in namespace "${namespace}" with another type (${have}); Avlasta needs ${key.type}`,
      );
      process.exit(3);
    }
  }
  if (Object.keys(missing).length === 0) return;
  // The operator call takes a map name -> type; a race with another set-up is harmless (AlreadyExists).
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing as never });
  // A dev server started by set-up caches the list for up to a minute (set-up tells it not to re-read
  // it on every use, scripts/ensure-temporal.sh): workflows may be refused the new ones until then.
  console.log(
    `created search attributes: ${Object.keys(missing).join(', ')} (a Temporal server may take up to a minute to accept them)`,
  );
}

async function main(): Promise<void> {
  const [first, seconds = '60', namespace = 'default'] = process.argv.slice(2);
  if (first === '--print-flags') {
    console.log(searchAttributeFlags.join('\n'));
    return;
  }
  if (!first) throw new Error('usage: temporal-ready.ts <address> [seconds] [namespace] | --print-flags');
  const connection = await connectWithin(first, Number(seconds));
  try {
    await ensureSearchAttributes(connection, namespace);
  } finally {
    await connection.close();
  }
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(3);
});
