/** What one step produced; the interpreter (interpreter.ts) builds the item's result from it. */
export type StepOutcome =
  /** A bot step's output, read by later steps as `steps.<id>`. */
  | { kind: 'output'; output: unknown }
  /** A set step's variables, read by later steps as `vars.<name>`. */
  | { kind: 'vars'; values: Record<string, unknown> }
  /** An assert step whose condition held. */
  | { kind: 'passed' }
  /** Approved; later steps read the decision as `steps.<id>`. `byPerson`: decided before the deadline. */
  | { kind: 'approved'; output: { decision: 'approve'; actor: string }; byPerson: boolean }
  /** Rejected by a person, or nobody decided in time (`byPerson` false): the item ends as 'rejected'. */
  | { kind: 'rejected'; reason: string; byPerson: boolean }
  /** The item ends as 'failed', e.g. an assertion that does not hold. */
  | { kind: 'failed'; error: string }
  /** The run was cancelled before a person decided: the item ends as 'cancelled', a later run takes it. */
  | { kind: 'cancelled' };
