/**
 * What a run's options (workflows/types.ts RunOptions) change where it starts: its default run
 * key, so a trial, a sample or a rerun of a file never takes the workflow id the plain run of
 * that file would have, and the line the Temporal UI shows.
 */
import type { BotRegistry } from '../bots/registry.js';
import type { AutomationDefinition } from '../definitions/schema.js';
import type { RunOptions } from '../workflows/types.js';
import { EngineError } from './errors.js';

/** Throws AVL_ERR_BAD_REQUEST-like input errors as the engine's AVL_ERR_INPUT_INVALID. */
export function checkRunOptions(options: RunOptions): RunOptions {
  if (options.sample !== undefined && (!Number.isInteger(options.sample) || options.sample < 1))
    throw new EngineError(
      'AVL_ERR_INPUT_INVALID',
      `sample: a whole number of items, at least 1 (not ${options.sample})`,
    );
  return {
    ...(options.rerunCompleted && { rerunCompleted: true }),
    ...(options.trial && { trial: true }),
    ...(options.sample !== undefined && { sample: options.sample }),
  };
}

/** A trial needs every bot it drives to commit nothing in a trial (BotDefinition.trialSafe). */
export function checkTrialSafe(definition: AutomationDefinition, registry: BotRegistry, options: RunOptions): void {
  if (!options.trial) return;
  const unsafe = definition.steps.flatMap((s) => (s.type === 'bot' && !registry.get(s.bot)?.trialSafe ? [s.bot] : []));
  if (unsafe.length > 0)
    throw new EngineError(
      'AVL_ERR_DEFINITION_INVALID',
      `${definition.id} cannot run as a trial: ${[...new Set(unsafe)].join(', ')} ${unsafe.length === 1 ? 'does' : 'do'} not declare trialSafe: true, so it might commit in a trial (docs/AUTHORING.md, "Trial runs")`,
    );
}

/**
 * The input's hash, plus what sets the run apart: a trial and a rerun are new runs each time (a
 * deliberate act, after which the file's plain run must still be possible), a sample is one per size.
 */
export function defaultRunKey(inputHash: string, options: RunOptions): string {
  const base = inputHash.slice(0, 16);
  const moment = Date.now().toString(36);
  if (options.trial) return `${base}-trial-${moment}`;
  if (options.rerunCompleted) return `${base}-rerun-${moment}`;
  if (options.sample !== undefined) return `${base}-sample${options.sample}`;
  return base;
}

/** "TRIAL, first 2 items" and the like, for the run's summary line in the Temporal UI. */
export function describeRunOptions(options: RunOptions): string {
  const parts = [
    options.trial ? 'TRIAL: nothing committed' : '',
    options.sample !== undefined ? `first ${options.sample} items` : '',
    options.rerunCompleted ? 'completed items run again' : '',
  ].filter(Boolean);
  return parts.length > 0 ? ` [${parts.join(', ')}]` : '';
}
