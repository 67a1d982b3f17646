/** ItemRecorder on its own (pure workflow code): batches, flushes, drains and keeps a failure. */
import { describe, expect, it } from 'vitest';
import { ItemRecorder, MAX_RESULTS_PER_BATCH } from '../../workflows/item-recorder.js';
import type { ItemResult } from '../../workflows/types.js';

const result = (key: string): ItemResult => ({
  key,
  outcome: 'done',
  flagged: false,
  approved: false,
  touched: false,
  outputs: {},
});
const tick = () => new Promise((r) => setTimeout(r, 0));

/** A recorder with batches of 3 and a timer the test fires by hand. */
function recording(fail = false) {
  const calls: string[][] = [];
  const timers = { started: 0, cancelled: 0, fire: undefined as (() => void) | undefined };
  const recorder = new ItemRecorder({
    async record(results) {
      await tick();
      if (fail) throw new Error('store down');
      calls.push(results.map((r) => r.key));
    },
    batchSize: 3,
    startTimer(fire) {
      timers.started++;
      timers.fire = fire;
      return () => void timers.cancelled++;
    },
  });
  return { calls, recorder, timers };
}

describe('ItemRecorder', () => {
  it('waits for a full batch, cancels its timer, and leaves a part batch that arrived meanwhile to wait', async () => {
    const { calls, recorder, timers } = recording();
    recorder.add(result('a')); // the first one waiting starts the timer
    recorder.add(result('b'));
    await tick();
    expect(calls).toEqual([]);
    expect(timers).toMatchObject({ started: 1, cancelled: 0 });
    recorder.add(result('c')); // a batch: recorded, the timer cancelled
    recorder.add(result('d')); // arrives while that call is under way: one is no batch
    await tick();
    await tick();
    expect(calls).toEqual([['a', 'b', 'c']]);
    expect(timers).toMatchObject({ started: 2, cancelled: 1 }); // 'd' waits with a timer of its own
    for (const k of ['e', 'f']) recorder.add(result(k));
    await tick();
    await tick();
    expect(calls).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e', 'f'],
    ]);
  });

  it('records full batches that arrived during a call in the calls that follow', async () => {
    const { calls, recorder } = recording();
    for (const k of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) recorder.add(result(k));
    await recorder.drained();
    expect(calls).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e', 'f', 'g'],
    ]);
  });

  it('records a part batch when its timer fires, and everything on drained()', async () => {
    const { calls, recorder, timers } = recording();
    recorder.add(result('a'));
    timers.fire!();
    await tick();
    await tick();
    expect(calls).toEqual([['a']]);
    recorder.add(result('b')); // waits again, with a new timer
    expect(timers.started).toBe(2);
    await recorder.drained();
    expect(calls).toEqual([['a'], ['b']]);
    await recorder.drained(); // nothing left: no empty call
    expect(calls.length).toBe(2);
  });

  it('never puts more than the maximum in one call', async () => {
    const calls: number[] = [];
    const recorder = new ItemRecorder({
      record: async (results) => void calls.push(results.length),
      batchSize: 10_000,
      startTimer: () => () => undefined,
    });
    for (let i = 0; i < MAX_RESULTS_PER_BATCH + 5; i++) recorder.add(result(`k${i}`));
    await recorder.drained();
    expect(calls).toEqual([MAX_RESULTS_PER_BATCH, 5]);
  });

  it('fails drained() with the error of a call that failed for good', async () => {
    const { recorder } = recording(true);
    recorder.add(result('a'));
    await expect(recorder.drained()).rejects.toThrow('store down');
  });
});
