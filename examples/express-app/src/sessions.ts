import { randomBytes } from 'node:crypto';

/** Session tokens: opaque, random, held in memory. */
export interface SessionStore {
  /** Starts a session and returns its bearer token. */
  create(userId: string): string;
  /** The user id of a live session, else undefined. */
  userOf(token: string): string | undefined;
  /** Ends a session; true when it existed. */
  end(token: string): boolean;
}

/** Token length in bytes: 256 bits, as OWASP's session management cheat sheet suggests (≥ 64 bits of entropy). */
const TOKEN_BYTES = 32;
/** Idle timeout: PCI DSS v4.0 8.2.8 requires re-authentication after more than 15 minutes idle. */
const SESSION_IDLE_MS = 15 * 60 * 1000;

/**
 * An in-memory session store; a session expires after 15 idle minutes.
 *
 * @example
 * ```ts
 * const sessions = createSessionStore();
 * const token = sessions.create('u-100');
 * sessions.userOf(token); // 'u-100'
 * ```
 */
export function createSessionStore(now: () => number = Date.now): SessionStore {
  const sessions = new Map<string, { readonly userId: string; expires: number }>();
  return {
    create(userId) {
      const token = randomBytes(TOKEN_BYTES).toString('base64url');
      sessions.set(token, { userId, expires: now() + SESSION_IDLE_MS });
      return token;
    },
    userOf(token) {
      const session = sessions.get(token);
      if (session === undefined) return undefined;
      if (session.expires <= now()) {
        sessions.delete(token);
        return undefined;
      }
      session.expires = now() + SESSION_IDLE_MS;
      return session.userId;
    },
    end(token) {
      return sessions.delete(token);
    },
  };
}
