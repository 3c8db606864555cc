import type { MiddlewareHandler } from 'hono';
import type { QueryApiEnv } from '../auth/query-api-env.js';
import type { Authenticator } from './principal.js';

export interface AuthenticateOptions {
  /** Asked in order; the first that answers a Principal decides. */
  authenticators?: readonly Authenticator[];
}

/**
 * Decides who the request acts as, once, and sets `principal`. Each authenticator answers undefined when the request
 * carries no credential of its kind, so the order only matters for requests carrying several; one that throws (an
 * invalid credential: UnauthorizedError → 401, too many failed guesses → 429) ends the request. A request with no
 * credential passes on without a principal: access/authorize.ts answers 401 unless its route is public.
 */
export function authenticate({ authenticators = [] }: AuthenticateOptions = {}): MiddlewareHandler<QueryApiEnv> {
  return async (c, next) => {
    for (const authenticator of authenticators) {
      const principal = await authenticator(c);
      if (principal) {
        c.set('principal', principal);
        break;
      }
    }
    await next();
  };
}
