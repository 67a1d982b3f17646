/**
 * `avlasta keys list|rotate`: the payload keys (temporal/payload-key.ts). rotate adds a new current
 * key; the old ones stay, so runs, sealed files and queued bot input sealed with them still open.
 * Processes seal with the new key once restarted. list shows ids only, never a key.
 */
import type { Command } from 'commander';
import type { AvlastaConfig } from '../../config.js';

type Load = () => Promise<{ config: AvlastaConfig }>;

function out(cmd: Command, text: string): void {
  let root = cmd;
  while (root.parent) root = root.parent;
  root.configureOutput().writeOut?.(text);
}

export function registerKeysCommands(program: Command, load: Load): void {
  const keys = program.command('keys').description('payload keys: list them, rotate to a new one');

  keys
    .command('list')
    .description('the payload key ids, the current one marked')
    .action(async (_opts: unknown, cmd: Command) => {
      const { loadPayloadKeys } = await import('../../temporal/payload-key.js');
      const ring = loadPayloadKeys((await load()).config);
      out(cmd, ring.ids.map((id) => (id === ring.currentId ? `${id} (current)\n` : `${id}\n`)).join(''));
    });

  keys
    .command('rotate')
    .description('add a new current payload key; the old ones keep opening what they sealed')
    .action(async (_opts: unknown, cmd: Command) => {
      const { loadPayloadKeys, newKeyEntry, rotatePayloadKeyFile } = await import('../../temporal/payload-key.js');
      const { config } = await load();
      if (config.payloadKey) {
        // Keys from the environment live in the operator's secret store, which Avlasta cannot write.
        const entry = newKeyEntry(loadPayloadKeys(config));
        out(
          cmd,
          `payload keys come from AVLASTA_PAYLOAD_KEY: append ",${entry}" to it, keep the keys before it, and restart every worker and server\n`,
        );
        return;
      }
      const { id, file, previous } = rotatePayloadKeyFile(config.dataDir);
      out(
        cmd,
        `new current payload key ${id} in ${file}; ${previous.join(', ')} still open${previous.length === 1 ? 's' : ''} what ${previous.length === 1 ? 'it' : 'they'} sealed. Restart every worker and server to seal with ${id}\n`,
      );
    });
}
