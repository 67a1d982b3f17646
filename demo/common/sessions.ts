/**
 * In-memory sessions with an idle timeout, as a legacy system has them: a session not used for
 * idleMs is gone and the next request lands on the login page.
 */
import { randomBytes } from 'node:crypto';

export const sessionCookie = 'demo_session';

interface Session {
  username: string;
  lastSeen: number;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  constructor(
    private readonly idleMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  create(username: string): string {
    const id = randomBytes(24).toString('base64url');
    this.sessions.set(id, { username, lastSeen: this.now() });
    return id;
  }

  /** The user of a live session (touching it), or undefined when missing or idle too long. */
  touch(id: string | undefined): string | undefined {
    if (!id) return undefined;
    const s = this.sessions.get(id);
    if (!s) return undefined;
    if (this.now() - s.lastSeen > this.idleMs) {
      this.sessions.delete(id);
      return undefined;
    }
    s.lastSeen = this.now();
    return s.username;
  }

  drop(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }
}
