/**
 * A real TCP fault proxy between a bot worker and Temporal or Redis: toxiproxy's server, started
 * on its own ports, driven over its HTTP API. Disabling a proxy closes its connections and refuses
 * new ones until it is enabled again: the link is cut, both ways, as by a broken network.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface Toxiproxy {
  /** Adds a proxy listening on a free port of 127.0.0.1; returns "127.0.0.1:<port>". */
  add(name: string, upstream: string): Promise<string>;
  cut(name: string): Promise<void>;
  restore(name: string): Promise<void>;
  close(): Promise<void>;
}

/** The server binary: scripts/ensure-toxiproxy.sh finds it or builds it (Go) the first time. */
export async function toxiproxyServerPath(): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('bash', ['scripts/ensure-toxiproxy.sh', '--print-path'], {
      cwd: root,
      timeout: 300_000,
    });
    return stdout.trim().split('\n').pop() ?? '';
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`toxiproxy is needed for the link faults and could not be installed:\n${stderr.trim()}`);
  }
}

export async function startToxiproxy(): Promise<Toxiproxy> {
  const binary = await toxiproxyServerPath();
  const port = await freePort();
  const child: ChildProcess = spawn(binary, ['-host', '127.0.0.1', '-port', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const api = `http://127.0.0.1:${port}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) throw new Error(`toxiproxy ${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`toxiproxy exited at start (code ${child.exitCode}): ${log}`);
    const up = await fetch(`${api}/version`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error(`toxiproxy did not answer on ${api} within 10 s: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    async add(name, upstream) {
      const listen = `127.0.0.1:${await freePort()}`;
      await call('POST', '/proxies', { name, listen, upstream, enabled: true });
      return listen;
    },
    cut: (name) => call('POST', `/proxies/${name}`, { enabled: false }),
    restore: (name) => call('POST', `/proxies/${name}`, { enabled: true }),
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
