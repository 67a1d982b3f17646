/**
 * Records the end of a run's items (ledger row, audit entry) a batch at a time. An item that
 * recorded its own end would need a local activity at its close: one more activation in the
 * workflow thread, and two commits (ledger, audit) per item. The run sees every child's result
 * anyway; it hands them here, and one local activity records a batch.
 * A result waits at most `maxWaitMs` for its batch to fill, so the ledger row of an item that
 * ended is never held back by others that wait (for a person, for a system's opening hours):
 * a later run must find it and skip the item. Deterministic code only.
 */
import type { ItemResult } from './types.js';

/** Most results in one call, so one batch never makes a huge activity input. */
export const MAX_RESULTS_PER_BATCH = 200;

export interface ItemRecorderOptions {
  record(results: ItemResult[]): Promise<void>;
  /** Results that make a batch: recorded as soon as this many wait. */
  batchSize: number;
  /** Calls `fire` after the longest wait (a durable timer in the run); returns a cancel function. */
  startTimer(fire: () => void): () => void;
}

export class ItemRecorder {
  private readonly waiting: ItemResult[] = [];
  private flushing: Promise<void> | undefined;
  private cancelTimer: (() => void) | undefined;
  private failure: unknown;

  constructor(private readonly opts: ItemRecorderOptions) {}

  /** Queues a result; records the queue once it holds a batch, or when the first one has waited long enough. */
  add(result: ItemResult): void {
    this.waiting.push(result);
    if (this.waiting.length >= this.opts.batchSize) this.flush();
    else this.armTimer();
  }

  /** Records everything queued; resolves once it is, rejects if recording failed for good. */
  async drained(): Promise<void> {
    while (this.waiting.length > 0 || this.flushing) {
      this.flush();
      await this.flushing;
    }
    if (this.failure !== undefined) throw this.failure;
  }

  private flush(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (this.waiting.length > 0) this.flushing ??= this.recordBatches();
  }

  private armTimer(): void {
    if (this.cancelTimer || this.flushing || this.waiting.length === 0) return;
    this.cancelTimer = this.opts.startTimer(() => {
      this.cancelTimer = undefined;
      this.flush();
    });
  }

  /** One call, then more while full batches wait; what is left waits for its batch or its timer. */
  private async recordBatches(): Promise<void> {
    try {
      do await this.opts.record(this.waiting.splice(0, MAX_RESULTS_PER_BATCH));
      while (this.waiting.length >= this.opts.batchSize);
    } catch (err) {
      // The activity has used up its retries: kept for drained(), which fails the run with it.
      this.failure ??= err;
    } finally {
      this.flushing = undefined;
      this.armTimer();
    }
  }
}
