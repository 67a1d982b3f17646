/** Structured logs for the bot runtime: secrets redacted by key, personnummer masked everywhere. */
import { pino, type Logger } from 'pino';
import { maskPersonalData, maskString } from '../audit/mask.js';

export function createBotRuntimeLogger(level = 'info'): Logger {
  return pino({
    name: 'bot-worker',
    level,
    redact: { paths: ['secrets', '*.secrets', 'password', '*.password', 'token', '*.token'], censor: '[secret]' },
    formatters: { log: (obj) => maskPersonalData(obj) },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? maskString(a) : a)) as Parameters<typeof method>);
      },
    },
  });
}
