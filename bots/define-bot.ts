/**
 * The bot API ops teams write against. One object literal defines a bot: id, input and output
 * schemas, and `run`. A bot is registered by being exported from a file in a configured bot folder
 * or package (bot-runtime/load-bots.ts finds it by the brand defineBot puts on it); importing a
 * bot file registers nothing by itself.
 */
import type { Page } from 'playwright-core';
import type { z } from 'zod';

export interface BotLogger {
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
}

export interface BotArtifacts {
  /** Saves a screenshot of the current page; returns its path (recorded in the audit log). */
  screenshot(name: string): Promise<string>;
  /** Saves arbitrary bytes (e.g. a downloaded PDF); returns its path. */
  save(name: string, data: Buffer | string): Promise<string>;
}

export interface BotContext {
  /** A page in a fresh browser context, closed by the bot worker after the job. */
  page: Page;
  log: BotLogger;
  /** Secrets of this bot's system, resolved in the bot worker from configuration. */
  secrets: Readonly<Record<string, string>>;
  artifacts: BotArtifacts;
  /** Aborted when the activity is cancelled or times out; long waits should honour it. */
  signal: AbortSignal;
  /**
   * Stable for the item and step across retries (never contains the attempt number), so a bot can
   * write it into the target system and look for it before creating anything twice.
   */
  idempotencyKey: string;
  /** Temporal attempt number of this step, starting at 1. */
  attempt: number;
  /** Base URL of the bot's system from configuration (systems.<system>.baseUrl). */
  baseUrl: string;
  /**
   * True in a trial run (`avlasta run start --trial`): the bot must commit nothing. A bot that
   * creates or changes something fills its form, keeps a screenshot of the filled form
   * (`ctx.artifacts.screenshot`) and returns without submitting; look-ups run as usual.
   * Absent or false in a real run. See docs/AUTHORING.md, "Trial runs".
   */
  trial?: boolean;
}

export interface BotDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** `<system>.<action>`; the system part names the queue `bots.<system>`. */
  id: string;
  description?: string;
  input: I;
  output: O;
  /**
   * Whether the bot drives a browser. When false, ctx.page throws on access and no browser
   * context is created (cheap steps such as a lookup over HTTP or a no-op in benchmarks).
   * @defaultValue true
   */
  browser?: boolean;
  /**
   * The bot commits nothing when ctx.trial is true: it only reads, or it fills its form and
   * returns without submitting. Trial runs refuse bots that do not say so, since a bot written
   * before trial mode would commit in a trial. @defaultValue false
   */
  trialSafe?: boolean;
  /**
   * For a system with no field to write `ctx.idempotencyKey` into: the business fields that name
   * the record this bot creates (a supplier and an e-mail address, say), as one text. Jobs of the
   * bot's system with the same natural key then run one at a time, across items, runs and bot
   * workers, so "look it up by those fields, create it when missing" cannot race with itself
   * (docs/AUTHORING.md, "Systems without a reference field"). Only a hash of it leaves the bot
   * worker. @defaultValue none: only attempts of the same step are serialised
   */
  naturalKey?(input: z.infer<I>): string;
  run(ctx: BotContext, input: z.infer<I>): Promise<z.infer<O>>;
}

const botIdPattern = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/;

/**
 * Marks what defineBot returned, so the loader can tell a bot from a file's other exports. A
 * registered symbol (Symbol.for), because a shared bot package may bring its own copy of this
 * module: the mark must mean the same in every copy.
 */
const botBrand = Symbol.for('avlasta.bot');

export function defineBot<I extends z.ZodType, O extends z.ZodType>(
  definition: BotDefinition<I, O>,
): BotDefinition<I, O> {
  if (!botIdPattern.test(definition.id)) {
    throw new Error(`Bot id "${definition.id}" must look like "<system>.<action>" in kebab-case`);
  }
  return Object.defineProperty({ ...definition }, botBrand, { value: true });
}

/** Whether `value` is a defineBot(...) result. */
export function isBot(value: unknown): value is BotDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[botBrand] === true;
}
