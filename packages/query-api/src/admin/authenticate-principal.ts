import type { MiddlewareHandler } from 'hono';
import { LEGACY_KEY_SCOPES, type Authenticator } from '../access/principal.js';
import { hashApiKey, type ApiKeyStore } from '../auth/api-key-store.js';
import { UnauthorizedError } from '../errors/query-api-errors.js';
import type { AdminApiEnv } from './admin-api-env.js';

export interface AuthenticatePrincipalOptions {
  /** Asked in order; the first that answers a Principal decides, any that throws refuses the request. */
  authenticators: readonly Authenticator[];
}

/**
 * Sets `principal` from the first authenticator that recognises the request's credential; 401 when none does.
 * (The admin API's own, until the access/ middleware that covers every route replaces it: same contract.)
 */
export function authenticatePrincipal({ authenticators }: AuthenticatePrincipalOptions): MiddlewareHandler<AdminApiEnv> {
  return async (c, next) => {
    for (const authenticate of authenticators) {
      const principal = await authenticate(c);
      if (principal) {
        c.set('principal', principal);
        return next();
      }
    }
    throw new UnauthorizedError('send a credential: "Authorization: Bearer <secret API key>" (or the local admin token the spoor CLI reads)');
  };
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * A secret API key as a Principal. Keys carry no scopes in the store yet, so every key has the documented legacy
 * scopes (access/principal.ts LEGACY_KEY_SCOPES) — which never include `admin`: an old key cannot administer.
 */
export function apiKeyAuthenticator(store: ApiKeyStore, { maxKeyLength = 256 } = {}): Authenticator {
  return async (c) => {
    const header = c.req.header('authorization');
    const token = header ? BEARER.exec(header)?.[1] : undefined;
    if (!token) return undefined;
    const record = token.length <= maxKeyLength ? await store.findByHash(hashApiKey(token)) : undefined;
    if (!record) throw new UnauthorizedError('unknown API key');
    return { kind: 'key', keyId: record.keyId, siteIds: record.siteIds, scopes: [...LEGACY_KEY_SCOPES] };
  };
}
