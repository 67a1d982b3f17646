/**
 * The audit entry of a change to a schedule (apply, pause, resume, trigger). From the ops console
 * the actor is the signed-in person; `avlasta schedules` reaches Temporal directly, an
 * administrator's act (docs/SECURITY.md), so its actor is the operating-system account that ran
 * the command, named `os:<account>`: not a signed-in person, and said so. A pause or resume note is
 * free text, masked like any detail.
 */
import { maskString } from '../audit/mask.js';
import type { Stores } from '../store/types.js';

export type ScheduleChange =
  | { action: 'applied'; created: string[]; updated: string[]; removed: string[] }
  | { action: 'paused' | 'resumed'; automationId: string; note: string }
  | { action: 'triggered'; automationId: string };

/** Who changed a schedule, and through which door. */
export interface ScheduleActor {
  /** A signed-in person's id, or `os:<account>` for the CLI. */
  id: string;
  via: 'console' | 'cli';
}

/** The actor of `avlasta schedules` run by the operating-system account `account`. */
export function osScheduleActor(account: string): ScheduleActor {
  return { id: `os:${account}`, via: 'cli' };
}

export async function recordScheduleChange(
  stores: Pick<Stores, 'audit'>,
  actor: ScheduleActor,
  change: ScheduleChange,
): Promise<void> {
  const { action, ...rest } = change;
  const automationId = 'automationId' in rest ? rest.automationId : undefined;
  const details: Record<string, unknown> = { action, via: actor.via };
  if ('note' in rest) details.note = maskString(rest.note);
  if ('created' in rest)
    Object.assign(details, { created: rest.created, updated: rest.updated, removed: rest.removed });
  await stores.audit.append([
    {
      actor: { kind: 'user', id: actor.id },
      event: 'schedule.changed',
      ...(automationId && { automationId }),
      details,
    },
  ]);
}
