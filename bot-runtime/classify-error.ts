/**
 * Turns what a bot threw into the failure Temporal sees. BotBusinessError (or anything marked
 * nonRetryable) ends the step; everything else is retried per the step's policy. Messages are
 * masked: failure messages are not encrypted by the payload codec.
 */
import { ApplicationFailure } from '@temporalio/common';
import { maskString } from '../audit/mask.js';

export function classifyBotError(botId: string, err: unknown): ApplicationFailure {
  const e = err instanceof Error ? err : new Error(String(err));
  const nonRetryable = (e as { nonRetryable?: unknown }).nonRetryable === true || e.name === 'BotBusinessError';
  const type = e.name && e.name !== 'Error' ? e.name : 'BotError';
  const code = (e as { code?: unknown }).code;
  return ApplicationFailure.create({
    nonRetryable,
    type: nonRetryable && type !== 'BotBusinessError' ? 'BotBusinessError' : type,
    message: `${botId}: ${maskString(e.message)}`,
    details: typeof code === 'string' ? [{ code }] : undefined,
  });
}
