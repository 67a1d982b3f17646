/**
 * permits.check-login: Logs in and reads the start page heading: proves the address and the secrets work.
 * A bot that creates something looks for it first (by ctx.idempotencyKey, which it writes into the
 * system with what it creates), so a retry never creates it twice.
 */
import { defineBot, SystemSession, z } from 'avlasta/bot';
import { permitsSession } from './session.js';

export const checkLogin = defineBot({
  id: 'permits.check-login',
  description: 'Logs in and reads the start page heading: proves the address and the secrets work.',
  input: z.object({}).strict(),
  output: z.object({ heading: z.string() }).strict(),
  async run(ctx) {
    const session = new SystemSession(ctx, permitsSession);
    const heading = await session.open('/');
    return { heading };
  },
});
