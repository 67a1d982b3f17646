/**
 * A BullMQ Worker that counts the time its rate limiter holds it back. BullMQ keeps that wait
 * inside its fetch loop and reports it nowhere; `getRateLimitDelay` is the hook it offers
 * subclasses (it is asked how long to wait each time the limiter says no).
 */
import { Worker } from 'bullmq';
import { botStepDuration, queueWait, rateLimitWait } from './series.js';

export class RateMeteredWorker<Data> extends Worker<Data> {
  protected override getRateLimitDelay(delay: number): number {
    const wait = super.getRateLimitDelay(delay);
    // The queue is bots.<system> (bot-runtime/queues.ts).
    if (wait > 0) rateLimitWait.inc({ system: this.name.replace(/^bots\./, '') }, wait / 1000);
    return wait;
  }
}

/** Records a bot job: how long it waited in the queue, then how long its step took and how it ended. */
export function startBotJobTimer(system: string, enqueuedAtMs: number): (bot: string, outcome: string) => void {
  const pickedUp = Date.now();
  queueWait.observe({ system }, Math.max(0, pickedUp - enqueuedAtMs) / 1000);
  return (bot, outcome) => botStepDuration.observe({ bot, outcome }, (Date.now() - pickedUp) / 1000);
}
