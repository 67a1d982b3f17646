/** Reads timings and event counts out of a workflow's history. */
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export function eventMs(e: HistoryEvent): number {
  const t = e.eventTime!;
  return Number(t.seconds) * 1000 + (t.nanos ?? 0) / 1e6;
}

export async function historyEvents(client: Client, workflowId: string): Promise<HistoryEvent[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return history.events ?? [];
}

/** Completion times (ms) of the activities of one type, in history order. */
export function activityCompletions(events: HistoryEvent[], activityType: string): number[] {
  const scheduledType = new Map<number, string>();
  const out: number[] = [];
  for (const e of events) {
    const s = e.activityTaskScheduledEventAttributes;
    if (s) scheduledType.set(Number(e.eventId), s.activityType?.name ?? '');
    const c = e.activityTaskCompletedEventAttributes;
    if (c && scheduledType.get(Number(c.scheduledEventId)) === activityType) out.push(eventMs(e));
  }
  return out;
}

/** Event type name → count, e.g. { ActivityTaskScheduled: 3, ... }. */
export function countEventTypes(events: HistoryEvent[]): Record<string, number> {
  const names = proto.temporal.api.enums.v1.EventType;
  const out: Record<string, number> = {};
  for (const e of events) {
    const name = String(names[e.eventType ?? 0])
      .replace(/^EVENT_TYPE_/, '')
      .toLowerCase();
    out[name] = (out[name] ?? 0) + 1;
  }
  return out;
}
