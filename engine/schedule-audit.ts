/**
 * The audit entry of a change to a schedule (apply, pause, resume, trigger). Managing schedules
 * reaches Temporal directly, an administrator's act (docs/SECURITY.md), so the actor is the
 * operating-system account that ran the command, named `os:<account>`: not a signed-in person,
 * and said so. A pause or resume note is the administrator's free text, masked like any detail.
 */
import { maskString } from '../audit/mask.js';
import type { Stores } from '../store/types.js';

export type ScheduleChange =
  | { action: 'applied'; created: string[]; updated: string[]; removed: string[] }
  | { action: 'paused' | 'resumed'; automationId: string; note: string }
  | { action: 'triggered'; automationId: string };

export async function recordScheduleChange(
  stores: Pick<Stores, 'audit'>,
  osAccount: string,
  change: ScheduleChange,
): Promise<void> {
  const { action, ...rest } = change;
  const automationId = 'automationId' in rest ? rest.automationId : undefined;
  const details: Record<string, unknown> = { action, via: 'cli' };
  if ('note' in rest) details.note = maskString(rest.note);
  if ('created' in rest)
    Object.assign(details, { created: rest.created, updated: rest.updated, removed: rest.removed });
  await stores.audit.append([
    {
      actor: { kind: 'user', id: `os:${osAccount}` },
      event: 'schedule.changed',
      ...(automationId && { automationId }),
      details,
    },
  ]);
}
