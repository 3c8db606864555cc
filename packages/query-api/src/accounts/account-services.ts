import type { Context } from 'hono';
import type { Principal } from '../access/principal.js';
import { socketPeerAddress, type RequestAddress } from '../auth/request-address.js';
import { UnauthorizedError, BadParameterError } from '../errors/query-api-errors.js';
import { readJsonBody } from '../params/json-body.js';
import type { AccountRoutesDeps } from './account-deps.js';
import { createHashingGate, type HashingGate } from './hashing-gate.js';
import { recordQuietly } from './record-quietly.js';
import { createDummyHash, DEFAULT_SCRYPT, hashPassword, verifyPassword } from './password-hash.js';
import { requireCsrf } from './require-csrf.js';
import { sessionAuthenticator } from './session-authenticator.js';
import type { Authenticator } from '../access/principal.js';
import { createSessionStore, type SessionStore } from './session-store.js';
import { createSignInLimiter, type SignInLimiter } from './sign-in-limiter.js';
import type { AuditEntry } from '../audit/audit-log.js';
import type { MiddlewareHandler } from 'hono';

/** The pieces the account routes share, built once per app from AccountRoutesDeps. */
export interface AccountServices {
  deps: AccountRoutesDeps;
  now: () => Date;
  sessions: SessionStore;
  limiter: SignInLimiter;
  address: RequestAddress;
  /** scrypt through the concurrency bound. */
  hash(password: string): Promise<string>;
  /** Against the dummy hash when `stored` is '' (no such user, no password yet): the same cost either way. */
  verify(password: string, stored: string): Promise<boolean>;
  /** The request's principal: the one the authenticate middleware set, else the session cookie's; 401 without either. */
  signedIn: MiddlewareHandler;
  audit(c: Context, entry: Omit<AuditEntry, 'address' | 'at'>): Promise<void>;
}

export function createAccountServices(deps: AccountRoutesDeps): AccountServices {
  const now = deps.now ?? (() => new Date());
  const sessions = createSessionStore({ kv: deps.kv, now, ...deps.sessions });
  const gate: HashingGate = createHashingGate(deps.hashing);
  const scrypt = deps.scrypt ?? DEFAULT_SCRYPT;
  const dummyHash = createDummyHash(scrypt);
  const address = deps.clientAddress ?? socketPeerAddress;
  const fromCookie = sessionAuthenticatorFor(deps, sessions);
  const csrf = requireCsrf({ sessions, ...(deps.allowedOrigins ? { allowedOrigins: deps.allowedOrigins } : {}), trustForwardedProto: deps.cookie?.trustForwardedProto ?? false });
  return {
    deps,
    now,
    sessions,
    limiter: createSignInLimiter({ kv: deps.kv, now, ...deps.signInLimits }),
    address,
    hash: (password) => gate(() => hashPassword(password, scrypt)),
    verify: async (password, stored) => {
      const against = stored === '' ? await dummyHash() : stored;
      const ok = await gate(() => verifyPassword(password, against));
      return ok && stored !== '';
    },
    signedIn: async (c, next) => {
      let principal = c.get('principal') as Principal | undefined;
      for (const authenticate of deps.authenticators ?? []) {
        if (principal) break;
        principal = await authenticate(c);
      }
      if (principal) c.set('principal', principal);
      else {
        principal = await fromCookie(c);
        if (!principal) throw new UnauthorizedError('sign in first (POST /api/v1/session), or send a secret API key as Bearer');
        c.set('principal', principal);
      }
      return csrf(c, next);
    },
    audit: (c, entry) => recordQuietly(deps.audit, { ...entry, address: address(c), at: now() }),
  };
}

/** The principal `signedIn` put on the context. */
export const principalOf = (c: Context): Principal => c.get('principal') as Principal;

/** The JSON body as an object (a 400 naming `body` otherwise). */
export async function objectBody(c: Context): Promise<Record<string, unknown>> {
  const body = await readJsonBody(c);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadParameterError('body', 'expected a JSON object');
  return body as Record<string, unknown>;
}

/** Names the first key the route does not know (a typo must not silently do nothing). */
export function onlyKeys(body: Record<string, unknown>, allowed: readonly string[]): void {
  const unknown = Object.keys(body).find((k) => !allowed.includes(k));
  if (unknown !== undefined) throw new BadParameterError(unknown.slice(0, 100), `unknown field; expected ${allowed.join(', ')}`);
}

/**
 * The session-cookie Authenticator over the same sessions and users as accountRoutes(deps), CSRF included: what an
 * authenticate middleware in front of other routes (the admin API, the query routes) adds to its chain.
 */
export function sessionAuthenticatorFor(deps: AccountRoutesDeps, sessions: SessionStore = createSessionStore({ kv: deps.kv, ...(deps.now ? { now: deps.now } : {}), ...deps.sessions })): Authenticator {
  return sessionAuthenticator({
    sessions,
    userStore: deps.userStore,
    ...(deps.cookie ? { cookie: deps.cookie } : {}),
    csrf: deps.allowedOrigins ? { allowedOrigins: deps.allowedOrigins } : {},
  });
}
