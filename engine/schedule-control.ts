/**
 * Pausing, resuming and firing a schedule now: the one path the ops console and `avlasta
 * schedules` take. Each change reaches Temporal's schedule, then is audited naming who made it
 * (engine/schedule-audit.ts); a change Temporal refused (no such schedule) changed nothing and
 * writes nothing.
 */
import type { Client } from '@temporalio/client';
import type { AvlastaConfig } from '../config.js';
import type { Stores } from '../store/types.js';
import { recordScheduleChange, type ScheduleActor } from './schedule-audit.js';
import { pauseSchedule, resumeSchedule, triggerSchedule } from './schedules.js';

export const scheduleActions = ['pause', 'resume', 'trigger'] as const;
export type ScheduleAction = (typeof scheduleActions)[number];

export interface ScheduleControlDeps {
  client: Client;
  config: AvlastaConfig;
  stores: Pick<Stores, 'audit'>;
}

/** Applies `action` to the automation's schedule; a pause or resume keeps `note` (or says who and where). */
export async function controlSchedule(
  deps: ScheduleControlDeps,
  actor: ScheduleActor,
  automationId: string,
  action: ScheduleAction,
  note?: string,
): Promise<void> {
  if (action === 'trigger') {
    await triggerSchedule(deps.client, deps.config, automationId);
    return recordScheduleChange(deps.stores, actor, { action: 'triggered', automationId });
  }
  const verb = action === 'pause' ? 'paused' : 'resumed';
  const kept =
    note?.trim() || `${verb} by ${actor.id} (${actor.via === 'cli' ? 'avlasta schedules' : 'the ops console'})`;
  await (action === 'pause' ? pauseSchedule : resumeSchedule)(deps.client, deps.config, automationId, kept);
  await recordScheduleChange(deps.stores, actor, { action: verb, automationId, note: kept });
}
