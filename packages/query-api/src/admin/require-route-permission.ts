import type { MiddlewareHandler } from 'hono';
import { describePrincipal } from '../access/principal.js';
import { isAllowed } from '../access/permissions.js';
import type { RoutePermission } from '../access/route-permission.js';
import { ForbiddenError } from '../errors/query-api-errors.js';
import type { AdminApiEnv } from './admin-api-env.js';

/**
 * Refuses the request (403) unless the authenticated principal holds the route's permission on the route's site
 * (access/permissions.ts isAllowed, the one decision). `signed-in` rows pass: their handlers filter by principal.
 */
export function requireRoutePermission(row: RoutePermission): MiddlewareHandler<AdminApiEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (row.permission === 'public' || row.permission === 'signed-in') return next();
    const site = row.site === 'path' ? c.req.param('site') : undefined;
    if (row.site === 'request') throw new Error(`admin route ${row.method} ${row.path}: site 'request' is not used by admin routes`);
    if (!isAllowed(principal, row.permission, site)) {
      const where = site === undefined ? 'on this instance (the owner or the local admin only)' : `on site "${site}"`;
      throw new ForbiddenError(`${describePrincipal(principal)} may not ${row.permission === 'admin' ? 'administer' : row.permission} ${where}`);
    }
    return next();
  };
}
