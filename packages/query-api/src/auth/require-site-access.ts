import type { MiddlewareHandler } from 'hono';
import { BadParameterError, ForbiddenError } from '../errors/query-api-errors.js';
import { hasJsonBody, readJsonBody } from '../params/json-body.js';
import { malformedTextReason } from '../params/well-formed-text.js';
import type { QueryApiEnv } from './query-api-env.js';

export interface RequireSiteAccessOptions {
  maxSiteLength?: number;
}

/** Where a request names its site, one rule for every route: the JSON body for POST, the query string otherwise. */
export type SiteSource = 'query' | 'body';
export const siteSourceOf = (method: string): SiteSource => (hasJsonBody(method) ? 'body' : 'query');

/**
 * The one place a request's site is resolved and checked against the key's scope, before any route runs; routes read
 * it as `c.get('site')` only (their schemas' `site` fields parse to `undefined`: params/site-param.ts).
 * The site is taken from its one source (siteSourceOf); every other mention — the other source, a repeated
 * `?site=`, a `site` in a DELETE's body — must be the identical string, else 400: a request never names two sites,
 * so no check can pass on one while a handler reads the other.
 */
export function requireSiteAccess({ maxSiteLength = 128 }: RequireSiteAccessOptions = {}): MiddlewareHandler<QueryApiEnv> {
  return async (c, next) => {
    const source = siteSourceOf(c.req.method);
    const fromQuery: unknown[] = c.req.queries('site') ?? [];
    const body = c.req.method === 'GET' || c.req.method === 'HEAD' ? undefined : await readJsonBody(c);
    if (source === 'body' && (typeof body !== 'object' || body === null || Array.isArray(body))) throw new BadParameterError('body', 'expected a JSON object');
    const fromBody: unknown[] = typeof body === 'object' && body !== null && !Array.isArray(body) && 'site' in body ? [body.site] : [];

    const site = source === 'body' ? fromBody[0] : fromQuery[0];
    if (site === undefined || site === '') {
      throw new BadParameterError('site', source === 'body' ? 'required in the JSON body' : 'required in the query string');
    }
    if (typeof site !== 'string' || site.length > maxSiteLength) throw new BadParameterError('site', `expected a site id of at most ${maxSiteLength} characters`);
    const malformed = malformedTextReason(site);
    if (malformed) throw new BadParameterError('site', malformed);
    if ([...fromQuery, ...fromBody].some((other) => other !== site)) {
      throw new BadParameterError('site', 'named more than once with different values; name one site, once');
    }
    if (!c.get('apiKey').siteIds.includes(site)) throw new ForbiddenError(`this API key has no access to site "${site}"`);
    c.set('site', site);
    await next();
  };
}
