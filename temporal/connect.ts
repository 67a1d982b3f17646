/** One way to reach Temporal from Node (CLI, API server, bot worker, tests): with the payload codec. */
import { Client, Connection } from '@temporalio/client';
import type { AvlastaConfig } from '../config.js';
import { AesGcmCodec } from './codec.js';
import { loadPayloadKey } from './payload-key.js';

export function dataConverterFor(config: AvlastaConfig) {
  return { payloadCodecs: [new AesGcmCodec(loadPayloadKey(config.payloadKey, config.dataDir))] };
}

export async function connectClient(config: AvlastaConfig): Promise<Client> {
  const connection = await Connection.connect({ address: config.temporal.address });
  return new Client({ connection, namespace: config.temporal.namespace, dataConverter: dataConverterFor(config) });
}
