/**
 * A Temporal dev server of a test's own, on free loopback ports, in memory: for tests that need
 * the Temporal Web UI started with particular flags (the codec endpoint). The shared server on
 * 127.0.0.1:7233 is never restarted. The CLI is found (or built) by scripts/ensure-temporal.sh.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { searchAttributeFlags } from '../../temporal/names.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface OwnTemporal {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startOwnTemporal(opts: { codecEndpoint?: string } = {}): Promise<OwnTemporal> {
  const cli = execFileSync('bash', ['-c', 'source scripts/ensure-temporal.sh && temporal_cli'], {
    cwd: root,
    encoding: 'utf8',
  }).trim();
  const [port, uiPort] = [await freePort(), await freePort()];
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', `${port}`, '--ui-port', `${uiPort}`];
  args.push('--log-level', 'error', '--dynamic-config-value', 'system.enableActivityEagerExecution=true');
  for (const flag of searchAttributeFlags) args.push('--search-attribute', flag);
  if (opts.codecEndpoint) args.push('--ui-codec-endpoint', opts.codecEndpoint);
  const child = spawn(cli, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const address = `127.0.0.1:${port}`;
  const uiUrl = `http://127.0.0.1:${uiPort}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: '2s' });
      await connection.close();
      if ((await fetch(uiUrl)).ok) break;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`own Temporal dev server did not start on ${address}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    address,
    uiUrl,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
