/** Where each automation's drop folder is, and which automations the watcher serves. */
import { join } from 'node:path';
import type { AvlastaConfig } from '../config.js';
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
  if (named.length > 0) return named;
  return config.triggers.watch ?? (await listAutomationIds(automationsDir));
}
