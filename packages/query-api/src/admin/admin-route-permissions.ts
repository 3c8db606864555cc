import type { RoutePermission } from '../access/route-permission.js';

/**
 * The admin API's rows of the route permission table (access/route-permission.ts). Listing sites is open to every
 * principal because the handler shows only the sites it may administer; creating a site and migrating act on the whole
 * instance (the owner and the local admin only); everything under /sites/:site needs `admin` on that site.
 */
export const ADMIN_ROUTE_PERMISSIONS = [
  { method: 'GET', path: '/api/v1/admin/sites', permission: 'signed-in', site: 'none' },
  { method: 'POST', path: '/api/v1/admin/sites', permission: 'admin', site: 'none' },
  { method: 'GET', path: '/api/v1/admin/sites/:site', permission: 'admin', site: 'path' },
  { method: 'PATCH', path: '/api/v1/admin/sites/:site', permission: 'admin', site: 'path' },
  { method: 'POST', path: '/api/v1/admin/sites/:site/link-key/rotate', permission: 'admin', site: 'path' },
  { method: 'POST', path: '/api/v1/admin/migrate', permission: 'admin', site: 'none' },
] as const satisfies readonly RoutePermission[];

export type AdminRoute = (typeof ADMIN_ROUTE_PERMISSIONS)[number];

/** The row of one admin route; a typo in a route file is a type error, not a route without a permission. */
export function adminRoutePermission(method: AdminRoute['method'], path: AdminRoute['path']): RoutePermission {
  const row = ADMIN_ROUTE_PERMISSIONS.find((r) => r.method === method && r.path === path);
  if (!row) throw new Error(`no admin route permission for ${method} ${path}`);
  return row;
}
