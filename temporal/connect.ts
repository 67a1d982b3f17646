/** One way to reach Temporal from Node (CLI, API server, bot worker, tests): with the payload codec. */
import { readFileSync } from 'node:fs';
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import { ConfigError, type AvlastaConfig } from '../config.js';
import { AesGcmCodec } from './codec.js';
import { loadPayloadKeys } from './payload-key.js';

export function dataConverterFor(config: AvlastaConfig) {
  return { payloadCodecs: [new AesGcmCodec(loadPayloadKeys(config))] };
}

export async function connectClient(config: AvlastaConfig): Promise<Client> {
  const dataConverter = dataConverterFor(config); // a bad payload key is said before connecting
  const connection = await Connection.connect({ address: config.temporal.address, tls: temporalTls(config) });
  return new Client({ connection, namespace: config.temporal.namespace, dataConverter });
}

/**
 * Mutual TLS when configured (client and worker alike): the server proves itself with a
 * certificate from the configured CA, and this process with its own certificate and key.
 */
export function temporalTls(config: AvlastaConfig): TLSConfig | undefined {
  const tls = config.temporal.tls;
  if (!tls) return undefined;
  const read = (what: string, path: string) => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new ConfigError(`Temporal TLS: cannot read the ${what} ${path}: ${(err as Error).message}`);
    }
  };
  return {
    serverNameOverride: tls.serverName,
    serverRootCACertificate: read("server's CA certificate", tls.serverCaCert),
    clientCertPair: { crt: read('client certificate', tls.clientCert), key: read('client key', tls.clientKey) },
  };
}
