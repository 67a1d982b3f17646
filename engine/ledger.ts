/**
 * Forgetting completed items: after a target system was reset (a test system restored, a
 * register rolled back), the ledger still says which keys were done, and every later run would
 * skip them. Forgetting is a person's act, on record: the API lets only ops do it.
 */
import { maskString } from '../audit/mask.js';
import type { Stores } from '../store/types.js';
import { EngineError } from './errors.js';

/** Keys named in one audit entry; the count is always complete. */
const KEYS_IN_AUDIT = 500;

export interface ForgetRequest {
  automationId: string;
  /** The keys to forget; absent: every key the automation completed. */
  keys?: string[];
  /** The authenticated person who asks. */
  actor: string;
  /** How they reached the engine (API token, session). */
  via?: string;
}

export interface ForgetResult {
  automationId: string;
  forgotten: number;
  /** Keys asked for that the ledger did not hold (not completed, or already forgotten). */
  unknown: string[];
}

export async function forgetCompleted(stores: Stores, req: ForgetRequest): Promise<ForgetResult> {
  if (!/^[a-z][a-z0-9-]*$/.test(req.automationId))
    throw new EngineError('AVL_ERR_AUTOMATION_UNKNOWN', `"${req.automationId}" is not an automation id`);
  if (req.keys?.length === 0)
    throw new EngineError('AVL_ERR_INPUT_INVALID', 'name at least one key, or none to forget every key');
  const forgotten = await stores.ledger.forget(req.automationId, req.keys);
  const gone = new Set(forgotten);
  const unknown = (req.keys ?? []).filter((k) => !gone.has(k));
  await stores.audit.append([
    {
      actor: { kind: 'user', id: req.actor },
      event: 'ledger.forgotten',
      automationId: req.automationId,
      details: {
        scope: req.keys ? 'keys' : 'all',
        forgotten: forgotten.length,
        keys: forgotten.slice(0, KEYS_IN_AUDIT).map(maskString),
        ...(unknown.length > 0 && { notInLedger: unknown.slice(0, KEYS_IN_AUDIT).map(maskString) }),
        ...(req.via && { via: req.via }),
      },
    },
  ]);
  return { automationId: req.automationId, forgotten: forgotten.length, unknown: unknown.map(maskString) };
}
