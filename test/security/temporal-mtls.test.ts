/**
 * Mutual TLS to Temporal (docs/SECURITY.md, trust boundary): with the certificates
 * scripts/temporal-certs.sh makes, Avlasta's client and worker connections present their own
 * certificate and check the server's; a client without one is refused. The dev server speaks no
 * TLS, so a TLS front that demands client certificates (as Temporal does with
 * TEMPORAL_TLS_REQUIRE_CLIENT_AUTH) stands before it on a loopback port.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { connect as tcpConnect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';
import { connectClient, temporalTls } from '../../temporal/connect.js';
import { installQuietRuntime } from '../../temporal/worker.js';

const certs = join(mkdtempSync(join(tmpdir(), 'avlasta-certs-')), 'temporal-certs');
const file = (name: string) => join(certs, name);
let front: Server;
let address: string;

beforeAll(async () => {
  execFileSync('bash', ['scripts/temporal-certs.sh', certs], { stdio: 'pipe' });
  const [host, port] = (process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233').split(':');
  front = createServer(
    {
      key: readFileSync(file('server.key')),
      cert: readFileSync(file('server.pem')),
      ca: readFileSync(file('ca.pem')),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    },
    (socket) => {
      const upstream = tcpConnect(Number(port), host);
      socket.pipe(upstream).pipe(socket);
      const close = () => (socket.destroy(), upstream.destroy());
      socket.on('error', close);
      upstream.on('error', close);
    },
  );
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  address = `127.0.0.1:${(front.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => (front ? front.close(() => resolve()) : resolve())));

const tlsEnv = () => ({
  TEMPORAL_ADDRESS: address,
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: file('ca.pem'),
  TEMPORAL_TLS_CLIENT_CERT_PATH: file('avlasta.pem'),
  TEMPORAL_TLS_CLIENT_KEY_PATH: file('avlasta.key'),
  TEMPORAL_TLS_SERVER_NAME: 'temporal',
});
const configWith = (env: Record<string, string>) => loadConfig({ AVLASTA_DATA_DIR: join(certs, '..', 'data'), ...env });

it("connects the client and the worker with Avlasta's certificate", async () => {
  const config = configWith(tlsEnv());
  const client = await connectClient(config);
  try {
    expect((await client.workflowService.getSystemInfo({})).serverVersion).toBeTruthy();
  } finally {
    await client.connection.close();
  }
  installQuietRuntime();
  const worker = await NativeConnection.connect({ address, tls: temporalTls(config) });
  await worker.close();
});

it('is refused without a client certificate, and without TLS', async () => {
  const config = configWith(tlsEnv());
  const { serverRootCACertificate, serverNameOverride } = temporalTls(config)!;
  await expect(
    Connection.connect({ address, tls: { serverRootCACertificate, serverNameOverride }, connectTimeout: 3000 }).then(
      (c) => c.workflowService.getSystemInfo({}),
    ),
  ).rejects.toThrow();
  await expect(
    Connection.connect({ address, connectTimeout: 3000 }).then((c) => c.workflowService.getSystemInfo({})),
  ).rejects.toThrow();
});

it('names what is missing when only part of the TLS settings is given', () => {
  const { TEMPORAL_TLS_CLIENT_KEY_PATH: _key, ...partial } = tlsEnv();
  expect(() => configWith(partial)).toThrow(ConfigError);
  expect(() => configWith(partial)).toThrow(/TEMPORAL_TLS_CLIENT_KEY_PATH/);
  expect(() => temporalTls(configWith({ ...tlsEnv(), TEMPORAL_TLS_CLIENT_KEY_PATH: file('gone.key') }))).toThrow(
    /cannot read the client key .*gone\.key/,
  );
});
