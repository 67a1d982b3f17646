/**
 * The inbox's and the API's door to the engine's one decision path (engine/decide.ts): the
 * signed-in person decides, and a refusal becomes the catalog error the page or the JSON answer
 * shows, with the earlier decider named as staff know them ("Anna Andersson").
 */
import { submitDecision, DecisionRefusedError, type DecisionDoor } from '../engine/decide.js';
import { EngineError } from '../engine/errors.js';
import type { DecideResult, EarlierDecision } from '../workflows/messages.js';
import type { User, UserDirectory } from './auth/users.js';
import type { ServerContext } from './context.js';
import { AppError } from './errors.js';
import { formatDateTime, texts, type Lang } from './i18n.js';

export interface DecisionInput {
  decision: 'approve' | 'reject';
  comment?: string;
}

export async function decideAs(
  ctx: Pick<ServerContext, 'temporal' | 'stores' | 'users'>,
  user: User,
  approvalId: string,
  input: DecisionInput,
  lang: Lang,
  via: Extract<DecisionDoor, 'inbox' | 'api'>,
): Promise<DecideResult> {
  try {
    return await submitDecision({ client: ctx.temporal, stores: ctx.stores }, user, { approvalId, ...input }, via);
  } catch (err) {
    if (err instanceof DecisionRefusedError && err.earlier) throw alreadyDecided(ctx.users, err.earlier, lang);
    if (err instanceof EngineError) throw new AppError(err.code, err.message);
    throw err;
  }
}

function alreadyDecided(users: UserDirectory, earlier: EarlierDecision, lang: Lang): AppError {
  const name = users.find(earlier.decidedBy)?.name ?? earlier.decidedBy;
  return new AppError('AVL_ERR_ALREADY_DECIDED', texts[lang].alreadyDecided(name, formatDateTime(earlier.decidedAt)), {
    decidedBy: earlier.decidedBy,
    decidedAt: earlier.decidedAt,
  });
}
