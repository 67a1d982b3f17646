/** The shape of a bot job in Redis, shared by the runBot activity (producer) and the bot worker. */
import type { z } from 'zod';
import type { SealedValue } from './sealed-input.js';

export interface BotJobAuditContext {
  automationId: string;
  runId: string;
  itemKey: string;
  stepId: string;
}

export interface BotJobData {
  bot: string;
  /** The bot's input, sealed: it may hold personal data and Redis is not encrypted. */
  input: SealedValue;
  idempotencyKey: string;
  /**
   * The runBot attempt's task token (base64): heartbeats, completion and failure address this
   * attempt only, and Temporal refuses them once a newer attempt exists, so a stale job can
   * neither start work nor complete someone else's attempt.
   */
  taskToken: string;
  /** For logs, job ids and artifact paths. */
  workflowId: string;
  activityId: string;
  /** Temporal attempt of the runBot activity, starting at 1. */
  attempt: number;
  /** The attempt's heartbeat timeout: the job's fence and lease timing derive from it (temporal/bot-step-timing.ts). */
  heartbeatTimeoutMs: number;
  /** When the attempt's start-to-close timeout ends (ms since the epoch, the Temporal worker's clock). */
  deadlineAt: number;
  audit: BotJobAuditContext;
  enqueuedAt: string;
  /**
   * How long after `enqueuedAt` the attempt is certainly still current: a third of its shortest
   * timeout (heartbeat or start-to-close). A job picked up sooner skips the staleness beat.
   */
  freshForMs: number;
  /** An approval step follows (RunBotRequest.approvalAhead): keep the success screenshot. */
  approvalAhead: boolean;
  /** A trial run (RunBotRequest.trial): the bot gets ctx.trial and commits nothing. */
  trial?: boolean;
}

/** True when the job was picked up so soon that its attempt cannot have timed out yet. */
export function isFresh(data: Pick<BotJobData, 'enqueuedAt' | 'freshForMs'>, now: number): boolean {
  const age = now - Date.parse(data.enqueuedAt);
  return age >= 0 && age < data.freshForMs;
}

/** The task token of a job's attempt, as Temporal's client takes it. */
export function taskTokenOf(data: Pick<BotJobData, 'taskToken'>): Uint8Array {
  return Buffer.from(data.taskToken, 'base64');
}

/** `<workflowId>.<activityId>.<attempt>`: a redelivery dedupes, a real retry is a new job. */
export function botJobId(workflowId: string, activityId: string, attempt: number): string {
  // BullMQ refuses ':' in custom ids; workflow ids never hold one, but be sure.
  return `${workflowId}.${activityId}.${attempt}`.replaceAll(':', '_');
}

/**
 * "output.registrationNumber: expected string". Names the field and what was wrong, never the
 * value (it may be a personnummer).
 */
export function describeZodError(root: string, error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = [root, ...issue.path.map(String)].join('.');
      const what = issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.message;
      return `${path}: ${what}`;
    })
    .join('; ');
}
