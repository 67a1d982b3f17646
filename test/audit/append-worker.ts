/**
 * A separate process appending to the audit log, for the concurrency test. Opens the stores,
 * prints "ready", waits for a line on stdin (so all workers start together), appends, prints "done".
 * argv: <OpenStoresOptions as JSON> <appends> <worker name>
 */
import { once } from 'node:events';
import { openStores } from '../../store/open-stores.js';

const [optionsJson, countText, name] = process.argv.slice(2);
const stores = await openStores(JSON.parse(optionsJson));
process.stdout.write('ready\n');
process.stdin.resume();
await once(process.stdin, 'data');
for (let i = 0; i < Number(countText); i++) {
  // Batches of 1 and 2 entries: a batch must land contiguously, never interleaved.
  const batch = Array.from({ length: 1 + (i % 2) }, (_, j) => ({
    actor: { kind: 'bot' as const, id: name },
    event: 'step.completed' as const,
    details: { i, j, batchSize: 1 + (i % 2) },
  }));
  await stores.audit.append(batch);
}
await stores.close();
process.stdout.write('done\n');
process.exit(0);
