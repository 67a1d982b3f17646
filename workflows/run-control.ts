/**
 * Pause, resume and cancel of a run: Updates on the run workflow. Their validators refuse what
 * cannot apply with a stable code (the ApplicationFailure's type, as the `decide` Update does), so
 * every door shows the same reason. The state is carried across continue-as-new in the run's
 * progress. Pausing stops new items from starting; items already started finish. Cancelling does
 * the same for good, and leaves nothing waiting for a person: the items in flight finish their
 * bot steps, but an item that waits at an approval step, or reaches one, ends there (the approval
 * is withdrawn). Those and the items never started are counted as cancelled (not failed, not in
 * the ledger, so a later run takes them). Sandbox-safe, deterministic code only.
 */
import { ApplicationFailure, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';

export type RunControlAction = 'pause' | 'resume' | 'cancel';

export interface RunControlInput {
  /** Who asks, as the engine asserts it after authenticating them. */
  actor: string;
}

export interface RunControlResult {
  action: RunControlAction;
  by: string;
  at: string;
}

/** Who paused or cancelled the run, and when. */
export interface ControlMark {
  by: string;
  at: string;
}

/** Who paused or cancelled the run and when; carried across continue-as-new. */
export interface RunControlState {
  paused?: ControlMark;
  cancelled?: ControlMark;
}

/**
 * Sent by a cancelled run to each of its items still running: the approvals the item waits at are
 * withdrawn, and it opens no other (approval-gate.ts).
 */
export const runCancelledSignal = defineSignal<[ControlMark]>('runCancelled');

export const runControlRefusalCodes = [
  'AVL_ERR_BAD_REQUEST',
  'AVL_ERR_RUN_FINISHED',
  'AVL_ERR_RUN_CANCELLED',
  'AVL_ERR_RUN_ALREADY_PAUSED',
  'AVL_ERR_RUN_NOT_PAUSED',
] as const;
export type RunControlRefusalCode = (typeof runControlRefusalCodes)[number];

export const runControlUpdates = {
  pause: defineUpdate<RunControlResult, [RunControlInput]>('pauseRun'),
  resume: defineUpdate<RunControlResult, [RunControlInput]>('resumeRun'),
  cancel: defineUpdate<RunControlResult, [RunControlInput]>('cancelRun'),
} as const;

function refuse(code: RunControlRefusalCode, message: string): never {
  throw ApplicationFailure.create({ type: code, message, nonRetryable: true });
}

/** Where the run's items are, for the validators. */
export interface RunItemsState {
  /** Every item of the run has started: there is nothing left to hold back. */
  allStarted(): boolean;
  /** Some started item has not ended yet: a cancel still keeps it from waiting for a person. */
  inFlight(): boolean;
}

/** Installs the three Updates on the run; `changed` hears of each accepted change. */
export function handleRunControl(state: RunControlState, items: RunItemsState, changed: () => void): void {
  const open = (input: RunControlInput) => {
    if (typeof input?.actor !== 'string' || input.actor === '') refuse('AVL_ERR_BAD_REQUEST', 'who asks is missing');
    if (state.cancelled)
      refuse('AVL_ERR_RUN_CANCELLED', `the run was cancelled by ${state.cancelled.by} at ${state.cancelled.at}`);
  };
  const applicable = (input: RunControlInput) => {
    open(input);
    if (items.allStarted())
      refuse('AVL_ERR_RUN_FINISHED', 'every item of the run has started; the run ends when they finish');
  };
  const accept = (action: RunControlAction, actor: string): RunControlResult => {
    const mark = { by: actor, at: new Date().toISOString() };
    if (action === 'pause') state.paused = mark;
    else if (action === 'resume') delete state.paused;
    else state.cancelled = mark;
    changed();
    return { action, ...mark };
  };
  setHandler(runControlUpdates.pause, ({ actor }) => accept('pause', actor), {
    validator: (input) => {
      applicable(input);
      if (state.paused)
        refuse('AVL_ERR_RUN_ALREADY_PAUSED', `the run was already paused by ${state.paused.by} at ${state.paused.at}`);
    },
  });
  setHandler(runControlUpdates.resume, ({ actor }) => accept('resume', actor), {
    validator: (input) => {
      applicable(input);
      if (!state.paused) refuse('AVL_ERR_RUN_NOT_PAUSED', 'the run is not paused');
    },
  });
  setHandler(runControlUpdates.cancel, ({ actor }) => accept('cancel', actor), {
    validator: (input) => {
      open(input);
      if (items.allStarted() && !items.inFlight())
        refuse('AVL_ERR_RUN_FINISHED', 'every item of the run has ended; the run is recording them');
    },
  });
}
