import { randomBytes } from 'node:crypto';

// Sessions live in memory in the process that serves the UI (the Electron main process or the
// web host): a restart logs everyone out, and restoring a backup cannot bring old sessions back.

export interface Session {
  token: string;
  staffId: string;
  createdAt: number;
  lastSeen: number;
}

/** A session idle this long ends (a counter PC left logged in overnight). */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  constructor(private readonly now: () => number) {}

  start(staffId: string): Session {
    const token = randomBytes(32).toString('base64url');
    const at = this.now();
    const session = { token, staffId, createdAt: at, lastSeen: at };
    this.sessions.set(token, session);
    return session;
  }

  /** The live session for a token, touching it; undefined if unknown or idle too long. */
  get(token: string | undefined | null): Session | undefined {
    if (!token) return undefined;
    const session = this.sessions.get(token);
    if (!session) return undefined;
    const at = this.now();
    if (at - session.lastSeen > SESSION_IDLE_MS) {
      this.sessions.delete(token);
      return undefined;
    }
    session.lastSeen = at;
    return session;
  }

  end(token: string | undefined | null): void {
    if (token) this.sessions.delete(token);
  }

  /** Ends every session of one staff member (deactivated, password reset). */
  endFor(staffId: string, except?: string): void {
    for (const [token, s] of this.sessions) if (s.staffId === staffId && token !== except) this.sessions.delete(token);
  }

  endAll(): void {
    this.sessions.clear();
  }
}
