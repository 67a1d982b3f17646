/**
 * The one catalog of errors the API and the pages answer with. Codes are stable (clients and
 * tests match on them); messages are for people, in Swedish and English.
 */
import type { Lang } from './i18n.js';

export const errorCatalog = {
  AVL_ERR_BAD_REQUEST: { status: 400, sv: 'Begäran är ogiltig.', en: 'The request is invalid.' },
  AVL_ERR_COMMENT_REQUIRED: {
    status: 400,
    sv: 'Ange en kommentar när du avslår.',
    en: 'A comment is required when rejecting.',
  },
  AVL_ERR_UNAUTHENTICATED: { status: 401, sv: 'Du behöver logga in.', en: 'You need to sign in.' },
  AVL_ERR_SESSION_EXPIRED: {
    status: 401,
    sv: 'Din session har gått ut. Logga in igen.',
    en: 'Your session has expired. Please sign in again.',
  },
  AVL_ERR_LOGIN_FAILED: { status: 401, sv: 'Fel användarnamn eller lösenord.', en: 'Wrong user name or password.' },
  AVL_ERR_LOCKED_OUT: {
    status: 429,
    sv: 'För många misslyckade inloggningar. Försök igen senare.',
    en: 'Too many failed sign-ins. Try again later.',
  },
  AVL_ERR_RATE_LIMITED: {
    status: 429,
    sv: 'För många förfrågningar från din adress. Vänta en stund och försök igen.',
    en: 'Too many requests from your address. Wait a moment and try again.',
  },
  AVL_ERR_CSRF: {
    status: 403,
    sv: 'Formuläret har gått ut eller saknar säkerhetstoken. Ladda om sidan och försök igen.',
    en: 'The form has expired or lacks its security token. Reload the page and try again.',
  },
  AVL_ERR_FORBIDDEN: { status: 403, sv: 'Du har inte behörighet till detta.', en: 'You are not allowed to do this.' },
  AVL_ERR_NOT_FOUND: { status: 404, sv: 'Sidan finns inte.', en: 'Not found.' },
  AVL_ERR_APPROVAL_UNKNOWN: { status: 404, sv: 'Ärendet finns inte.', en: 'No such approval.' },
  AVL_ERR_RUN_UNKNOWN: { status: 404, sv: 'Körningen finns inte.', en: 'No such run.' },
  AVL_ERR_SCHEDULE_UNKNOWN: { status: 404, sv: 'Schemat finns inte.', en: 'No such schedule.' },
  AVL_ERR_AUTOMATION_UNKNOWN: { status: 404, sv: 'Automatiseringen finns inte.', en: 'No such automation.' },
  AVL_ERR_ALREADY_DECIDED: {
    status: 409,
    sv: 'Ärendet är redan beslutat.',
    en: 'The approval has already been decided.',
  },
  AVL_ERR_FOUR_EYES: {
    status: 409,
    sv: 'Du startade körningen och får inte besluta om dess ärenden (fyra ögon-principen).',
    en: 'You started this run and may not decide its items (four-eyes rule).',
  },
  AVL_ERR_NOT_PENDING: {
    status: 409,
    sv: 'Ärendet väntar inte längre på beslut.',
    en: 'The approval is no longer waiting for a decision.',
  },
  AVL_ERR_WITHDRAWN: {
    status: 409,
    sv: 'Ärendet är återkallat eftersom körningen avbröts. Det behöver inget beslut.',
    en: 'The approval was withdrawn because its run was cancelled. It needs no decision.',
  },
  AVL_ERR_INPUT_INVALID: { status: 400, sv: 'Filen kunde inte läsas.', en: 'The input file could not be read.' },
  AVL_ERR_DEFINITION_INVALID: {
    status: 422,
    sv: 'Automatiseringens definition är ogiltig.',
    en: "The automation's definition is invalid.",
  },
  AVL_ERR_RUN_EXISTS: {
    status: 409,
    sv: 'En körning med samma nyckel finns redan.',
    en: 'A run with the same key already exists.',
  },
  AVL_ERR_IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    sv: 'Nyckeln har redan använts för en körning med andra ärenden. De här ärendena startades inte.',
    en: 'The key was already used for a run with different items. These items were not started.',
  },
  AVL_ERR_RUN_FINISHED: {
    status: 409,
    sv: 'Körningen är klar (eller har startat alla sina ärenden), så det går inte längre.',
    en: 'The run has finished (or started all its items), so this no longer applies.',
  },
  AVL_ERR_RUN_CANCELLED: { status: 409, sv: 'Körningen är avbruten.', en: 'The run has been cancelled.' },
  AVL_ERR_RUN_ALREADY_PAUSED: { status: 409, sv: 'Körningen är redan pausad.', en: 'The run is already paused.' },
  AVL_ERR_RUN_NOT_PAUSED: { status: 409, sv: 'Körningen är inte pausad.', en: 'The run is not paused.' },
  AVL_ERR_RUN_RUNNING: {
    status: 409,
    sv: 'Körningen pågår fortfarande. Kör om de misslyckade ärendena när den är klar.',
    en: 'The run is still going. Retry its failed items once it has finished.',
  },
  AVL_ERR_NOTHING_TO_RETRY: {
    status: 409,
    sv: 'Körningen har inga misslyckade ärenden att köra om.',
    en: 'The run has no failed items to retry.',
  },
  AVL_ERR_PAYLOAD_TOO_LARGE: { status: 413, sv: 'Filen är för stor.', en: 'The file is too large.' },
  AVL_ERR_ENGINE_UNAVAILABLE: {
    status: 503,
    sv: 'Arbetsflödesmotorn svarar inte just nu. Försök igen om en stund.',
    en: 'The workflow engine is not answering. Try again shortly.',
  },
  AVL_ERR_CONFIGURATION: {
    status: 500,
    sv: 'Avlasta saknar en inställning som behövs för detta.',
    en: 'Avlasta lacks a setting this needs.',
  },
  AVL_ERR_INTERNAL: { status: 500, sv: 'Ett internt fel inträffade.', en: 'An internal error occurred.' },
} as const satisfies Record<string, { status: number; sv: string; en: string }>;

export type ErrorCode = keyof typeof errorCatalog;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    /** Extra detail for the person (already in the right language) or for machine clients. */
    readonly detail?: string,
    readonly data?: Record<string, unknown>,
  ) {
    super(detail ?? errorCatalog[code].en);
    this.name = 'AppError';
    this.status = errorCatalog[code].status;
  }

  body(lang: Lang): { error: { code: ErrorCode; message: string; detail?: string } & Record<string, unknown> } {
    return {
      error: {
        code: this.code,
        message: errorCatalog[this.code][lang],
        ...(this.detail ? { detail: this.detail } : {}),
        ...this.data,
      },
    };
  }
}

export function messageFor(code: ErrorCode, lang: Lang): string {
  return errorCatalog[code][lang];
}
