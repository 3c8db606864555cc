import type { Authenticator, Principal } from '../access/principal.js';
import { UnauthorizedError } from '../errors/query-api-errors.js';
import { readSessionCookie, type SessionCookieOptions } from './session-cookie.js';
import type { SessionStore } from './session-store.js';
import type { UserStore } from './user-store.js';

export interface SessionAuthenticatorDeps {
  sessions: SessionStore;
  userStore: UserStore;
  cookie?: SessionCookieOptions;
}

/**
 * The Authenticator (access/principal.ts) for session cookies: undefined without a session cookie (another
 * authenticator may answer), a 'user' Principal with the owner flag and the roles per site for a live session,
 * UnauthorizedError for a cookie naming no live session (expired, signed out, password changed, user disabled).
 * The user and roles are read on every request, so a disabled user or a removed role bites at once.
 */
export function sessionAuthenticator({ sessions, userStore, cookie }: SessionAuthenticatorDeps): Authenticator {
  return async (c) => {
    const id = readSessionCookie(c, cookie);
    if (id === undefined || id === '') return undefined;
    const principal = await principalOfSession(id, sessions, userStore);
    if (!principal) throw new UnauthorizedError('session expired or signed out: sign in again');
    return principal;
  };
}

export async function principalOfSession(id: string, sessions: SessionStore, userStore: UserStore): Promise<Extract<Principal, { kind: 'user' }> | undefined> {
  const session = await sessions.read(id);
  if (!session) return undefined;
  const user = await userStore.findById(session.record.userId);
  if (!user || user.disabled || user.credentialGeneration !== session.record.credentialGeneration) return undefined;
  return { kind: 'user', userId: user.id, email: user.email, sessionId: session.key, owner: user.owner, roles: await userStore.rolesOf(user.id) };
}
