/** Structured logs for the bot runtime: secrets redacted by key, personnummer masked everywhere. */
import { pino, type Logger } from 'pino';
import { maskPersonalData, maskString } from '../audit/mask.js';

/**
 * `destination`: a file path (the demo keeps the terminal for its progress table), a file
 * descriptor (`avlasta bot try` logs to stderr, its answer goes to stdout) or stdout.
 * `name`: the process's name in each line (the file-drop watcher uses the same rules).
 */
export function createBotRuntimeLogger(level = 'info', destination?: string | number, name = 'bot-worker'): Logger {
  return pino(
    {
      name,
      level,
      redact: { paths: ['secrets', '*.secrets', 'password', '*.password', 'token', '*.token'], censor: '[secret]' },
      formatters: { log: (obj) => maskPersonalData(obj) },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? maskString(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    destination
      ? pino.destination({ dest: destination, mkdir: typeof destination === 'string', sync: false })
      : undefined,
  );
}
