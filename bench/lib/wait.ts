/** Polls until `fn` returns a value (not undefined); throws naming `what` after `timeoutMs`. */
import { sleep } from './stats.js';

export async function waitFor<T>(
  what: string,
  fn: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  pollMs = 1,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await sleep(pollMs);
  }
}
