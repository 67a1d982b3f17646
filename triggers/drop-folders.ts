/** Where each automation's drop folder is, and which automations the watcher serves. */
import { join } from 'node:path';
import { ConfigError, type AvlastaConfig } from '../config.js';
import { listAutomationIds } from '../engine/automations.js';

/** Finished files go to `processed/` or `failed/` inside the drop folder, each with `<file>.reason.txt`. */
export const PROCESSED = 'processed';
export const FAILED = 'failed';

export function dropFolderOf(config: AvlastaConfig, automationId: string): string {
  return (
    config.triggers.folders[automationId] ??
    join(config.triggers.inboxDir ?? join(config.dataDir, 'inbox'), automationId)
  );
}

/** The ids named (on the command line), else the configuration's `triggers.watch`, else every automation. */
export async function watchedAutomations(
  config: AvlastaConfig,
  automationsDir: string | undefined,
  named: string[] = [],
): Promise<string[]> {
  const known = await listAutomationIds(automationsDir);
  const wanted = named.length > 0 ? named : (config.triggers.watch ?? known);
  const unknown = wanted.filter((id) => !known.includes(id));
  if (unknown.length > 0)
    throw new ConfigError(`no automation ${unknown.join(', ')} to watch (known: ${known.join(', ') || 'none'})`);
  if (wanted.length === 0) throw new ConfigError('no automation to watch: the automations folder has none');
  return wanted;
}
