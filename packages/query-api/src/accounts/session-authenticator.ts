import type { Authenticator, Principal } from '../access/principal.js';
import { UnauthorizedError } from '../errors/query-api-errors.js';
import { CsrfError } from './account-errors.js';
import { checkSameOrigin, CSRF_HEADER, type RequireCsrfOptions } from './require-csrf.js';
import { readSessionCookie, type SessionCookieOptions } from './session-cookie.js';
import { sameToken, type SessionRecord, type SessionStore } from './session-store.js';
import type { UserStore } from './user-store.js';

export interface SessionAuthenticatorDeps {
  sessions: SessionStore;
  userStore: UserStore;
  cookie?: SessionCookieOptions;
  /**
   * CSRF on state-changing requests (require-csrf.ts rules: X-CSRF-Token and origin), checked here so the cookie is
   * never a valid credential for a write without them — whichever chain this authenticator is put in. Default on.
   */
  csrf?: Pick<RequireCsrfOptions, 'allowedOrigins'> | false;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The Authenticator (access/principal.ts) for session cookies: undefined without a session cookie (another
 * authenticator may answer), a 'user' Principal with the owner flag and the roles per site for a live session,
 * UnauthorizedError for a cookie naming no live session (expired, signed out, password changed, user disabled), and
 * CsrfError (403 `csrf`) for a state-changing request without the session's token or from a foreign origin.
 * The user and roles are read on every request, so a disabled user or a removed role bites at once.
 */
export function sessionAuthenticator({ sessions, userStore, cookie, csrf = {} }: SessionAuthenticatorDeps): Authenticator {
  return async (c) => {
    const id = readSessionCookie(c, cookie);
    if (id === undefined || id === '') return undefined;
    const found = await principalOfSession(id, sessions, userStore);
    if (!found) throw new UnauthorizedError('session expired or signed out: sign in again');
    if (csrf !== false && STATE_CHANGING.has(c.req.method)) {
      checkSameOrigin(c, { ...csrf, trustForwardedProto: cookie?.trustForwardedProto ?? false });
      const sent = c.req.header(CSRF_HEADER);
      if (!sent) throw new CsrfError(`${CSRF_HEADER}: missing; send the csrf_token from GET /api/v1/session with every state-changing request`);
      if (!sameToken(sent, found.record.csrfToken)) throw new CsrfError(`${CSRF_HEADER}: does not match this session's token`);
    }
    return found.principal;
  };
}

export async function principalOfSession(
  id: string,
  sessions: SessionStore,
  userStore: UserStore,
): Promise<{ principal: Extract<Principal, { kind: 'user' }>; record: SessionRecord } | undefined> {
  const session = await sessions.read(id);
  if (!session) return undefined;
  const user = await userStore.findById(session.record.userId);
  if (!user || user.disabled || user.credentialGeneration !== session.record.credentialGeneration) return undefined;
  return {
    principal: { kind: 'user', userId: user.id, email: user.email, sessionId: session.key, owner: user.owner, roles: await userStore.rolesOf(user.id) },
    record: session.record,
  };
}
