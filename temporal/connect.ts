/** One way to reach Temporal from Node (CLI, API server, bot worker, tests): with the payload codec. */
import { Client, Connection } from '@temporalio/client';
import type { AvlastaConfig } from '../config.js';
import { AesGcmCodec } from './codec.js';
import { loadPayloadKeys } from './payload-key.js';

export function dataConverterFor(config: AvlastaConfig) {
  return { payloadCodecs: [new AesGcmCodec(loadPayloadKeys(config))] };
}

export async function connectClient(config: AvlastaConfig): Promise<Client> {
  const dataConverter = dataConverterFor(config); // a bad payload key is said before connecting
  const connection = await Connection.connect({ address: config.temporal.address });
  return new Client({ connection, namespace: config.temporal.namespace, dataConverter });
}
