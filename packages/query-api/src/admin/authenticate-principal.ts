import type { MiddlewareHandler } from 'hono';
import type { Authenticator } from '../access/principal.js';
import { UnauthorizedError } from '../errors/query-api-errors.js';
import type { AdminApiEnv } from './admin-api-env.js';

export interface AuthenticatePrincipalOptions {
  /** Asked in order; the first that answers a Principal decides, any that throws refuses the request. */
  authenticators: readonly Authenticator[];
}

/**
 * Sets `principal` from the first authenticator that recognises the request's credential; 401 when none does.
 * Inside createQueryApi the access/ chain (authenticate + authorize) has already decided, and the one authenticator
 * passed here answers that principal; mounted alone (tests), it authenticates itself.
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
