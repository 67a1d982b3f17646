/**
 * Checking a password with the lock-out, for every way to sign in with one: the login form (a
 * session cookie) and the API (a sign-in token for the CLI). Both count the same failures.
 */
import type { LoginLockout } from './lockout.js';
import type { User, UserDirectory } from './users.js';

export type PasswordSignIn = { user: User } | { lockedUntil: number } | { failed: true };

export async function signInWithPassword(
  ctx: { users: UserDirectory; lockout: LoginLockout },
  userId: string,
  password: string,
): Promise<PasswordSignIn> {
  const lockedUntil = ctx.lockout.lockedUntil(userId);
  if (lockedUntil) return { lockedUntil };
  const user = userId && password ? await ctx.users.verify(userId, password) : undefined;
  if (!user) {
    ctx.lockout.recordFailure(userId);
    const nowLocked = ctx.lockout.lockedUntil(userId);
    return nowLocked ? { lockedUntil: nowLocked } : { failed: true };
  }
  ctx.lockout.recordSuccess(userId);
  return { user };
}
