import type { MiddlewareHandler } from 'hono';
import { BadParameterError, ForbiddenError } from '../errors/query-api-errors.js';
import type { QueryApiEnv } from './query-api-env.js';

export interface RequireSiteAccessOptions {
  maxSiteLength?: number;
}

/**
 * Every /api/v1 request names its site (`site` in the query string, or in the JSON body for POST), and
 * the key must be scoped to it. Done here, before any route, so no handler can forget it.
 */
export function requireSiteAccess({ maxSiteLength = 128 }: RequireSiteAccessOptions = {}): MiddlewareHandler<QueryApiEnv> {
  return async (c, next) => {
    let site: unknown = c.req.query('site');
    if (site === undefined && c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      let body: unknown;
      try {
        // Hono caches the parsed body, so the route's validator reads the same object.
        body = await c.req.json();
      } catch {
        throw new BadParameterError('body', 'expected a JSON object');
      }
      site = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).site : undefined;
    }
    if (site === undefined || site === '') throw new BadParameterError('site', 'required');
    if (typeof site !== 'string' || site.length > maxSiteLength) throw new BadParameterError('site', `expected a site id of at most ${maxSiteLength} characters`);
    if (!c.get('apiKey').siteIds.includes(site)) throw new ForbiddenError(`this API key has no access to site "${site}"`);
    c.set('site', site);
    await next();
  };
}
