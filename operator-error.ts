/**
 * Errors the person running Avlasta can act on: a configuration problem, a payload key that does
 * not fit, a request the engine refused. Every process entry (the CLI and the workers) says these
 * in one line and keeps the stack of anything else, which is a bug to report.
 */
import { ConfigError } from './config.js';
import { EngineError } from './engine/errors.js';
import { PayloadKeyError } from './temporal/payload-key.js';

export function isOperatorError(err: unknown): err is Error {
  return err instanceof ConfigError || err instanceof PayloadKeyError || err instanceof EngineError;
}

/** Ends a worker process that failed: `avlasta <name>: <message>` for an operator's error, the stack otherwise. */
export function exitOnError(name: string): (err: unknown) => never {
  return (err) => {
    console.error(
      `avlasta ${name}: ${isOperatorError(err) ? err.message : err instanceof Error ? err.stack : String(err)}`,
    );
    process.exit(1);
  };
}
