import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const workflowsPath = fileURLToPath(new URL('./fixtures/expression-workflow.ts', import.meta.url));
const taskQueue = `test-definitions-expr-${randomUUID()}`;

// global-setup exports the server it found; the default is the dev server's.
const temporalAddress = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';

describe('expressions in the Temporal workflow sandbox', () => {
  let connection: Connection;
  let nativeConnection: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    nativeConnection = await NativeConnection.connect({ address: temporalAddress });
    worker = await Worker.create({ workflowsPath, taskQueue, connection: nativeConnection });
    running = worker.run();
    connection = await Connection.connect({ address: temporalAddress });
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await connection?.close();
    await nativeConnection?.close();
  });

  it('evaluates a JSONata condition and renders templates inside a real workflow', async () => {
    const client = new Client({ connection });
    const result = await client.workflow.execute('evaluateInSandbox', {
      taskQueue,
      workflowId: `expr-${randomUUID()}`,
      args: [{ amount: 25000, invoice: 'F-17' }],
    });
    expect(result.flagged).toBe(true);
    const rendered = result.rendered as Record<string, unknown>;
    expect(rendered.ref).toBe('Faktura F-17');
    expect(rendered.amount).toBe(25000);
    expect(String(rendered.at)).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });
});
