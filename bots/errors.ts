/**
 * Errors a bot throws to steer what happens next. Anything else thrown is treated as retryable
 * (Temporal retries the step per its policy).
 */

/**
 * The target system refused the item for a business reason (a validation message on the page, an
 * unknown supplier...). Retrying cannot help: the item fails with this message.
 */
export class BotBusinessError extends Error {
  readonly nonRetryable = true;
  constructor(
    message: string,
    readonly code = 'BUSINESS_RULE',
  ) {
    super(message);
    this.name = 'BotBusinessError';
  }
}

/** A transient problem (page slow, HTTP 503, session expired mid-way): retry the step. */
export class BotTransientError extends Error {
  readonly nonRetryable = false;
  constructor(
    message: string,
    readonly code = 'TRANSIENT',
  ) {
    super(message);
    this.name = 'BotTransientError';
  }
}
