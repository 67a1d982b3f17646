/**
 * Server-side sessions, kept in memory. Why memory and not the database: a session holds only
 * who is signed in and a CSRF token, nothing that must outlive a restart (a restart means signing
 * in again); the shared Stores contract has no session table; and keeping them here means a
 * stolen cookie dies with logout at once. Several API servers need sticky sessions at the proxy
 * or the trusted-header (SSO) mode. The cookie carries only a random id, signed by @fastify/cookie.
 */
import { randomBytes } from 'node:crypto';

export interface Session {
  id: string;
  csrfToken: string;
  userId?: string;
  createdAt: number;
  lastSeenAt: number;
}

export interface SessionOptions {
  /** Signed-in sessions end after this much inactivity. @defaultValue 30 minutes */
  idleMs?: number;
  /** …and after this long in any case (one working day). @defaultValue 10 hours */
  absoluteMs?: number;
  /** Anonymous sessions (login form only) are capped so they cannot fill memory. @defaultValue 10000 */
  maxSessions?: number;
  now?: () => number;
}

export type SessionLookup = { session: Session } | { expired: true } | { missing: true };

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly idleMs: number;
  private readonly absoluteMs: number;
  private readonly maxSessions: number;
  readonly now: () => number;

  constructor(opts: SessionOptions = {}) {
    this.idleMs = opts.idleMs ?? 30 * 60_000;
    this.absoluteMs = opts.absoluteMs ?? 10 * 3_600_000;
    this.maxSessions = opts.maxSessions ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  create(userId?: string): Session {
    if (this.sessions.size >= this.maxSessions) this.sweep();
    if (this.sessions.size >= this.maxSessions) {
      // Drop the oldest anonymous session first; signed-in people keep theirs.
      const victim = [...this.sessions.values()].find((s) => !s.userId) ?? this.sessions.values().next().value;
      if (victim) this.sessions.delete(victim.id);
    }
    const t = this.now();
    const session: Session = { id: token(), csrfToken: token(), userId, createdAt: t, lastSeenAt: t };
    this.sessions.set(session.id, session);
    return session;
  }

  lookup(id: string | undefined): SessionLookup {
    if (!id) return { missing: true };
    const s = this.sessions.get(id);
    if (!s) return { missing: true };
    const t = this.now();
    if (t - s.lastSeenAt > this.idleMs || t - s.createdAt > this.absoluteMs) {
      this.sessions.delete(id);
      return { expired: true };
    }
    s.lastSeenAt = t;
    return { session: s };
  }

  destroy(id: string): void {
    this.sessions.delete(id);
  }

  private sweep(): void {
    const t = this.now();
    for (const s of this.sessions.values()) {
      if (t - s.lastSeenAt > this.idleMs || t - s.createdAt > this.absoluteMs) this.sessions.delete(s.id);
    }
  }
}

function token(): string {
  return randomBytes(32).toString('base64url');
}
