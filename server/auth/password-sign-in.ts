/**
 * Checking a password with the lock-out, for every way to sign in with one: the login form (a
 * session cookie) and the API (a sign-in token for the CLI). Both count the same failures, per
 * account at the client's address, per address and per account (auth/lockout.ts).
 */
import type { LoginLockout } from './lockout.js';
import type { User, UserDirectory } from './users.js';

export type PasswordSignIn = { user: User } | { lockedUntil: number } | { failed: true };

export async function signInWithPassword(
  ctx: { users: UserDirectory; lockout: LoginLockout },
  userId: string,
  password: string,
  address: string,
): Promise<PasswordSignIn> {
  const lockedUntil = await ctx.lockout.lockedUntil(userId, address);
  if (lockedUntil) return { lockedUntil };
  const user = userId && password ? await ctx.users.verify(userId, password) : undefined;
  if (!user) {
    const nowLocked = await ctx.lockout.recordFailure(userId, address);
    return nowLocked ? { lockedUntil: nowLocked } : { failed: true };
  }
  await ctx.lockout.recordSuccess(userId, address);
  return { user };
}
