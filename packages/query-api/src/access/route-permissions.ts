import { ACCOUNT_ROUTE_PERMISSIONS } from '../accounts/account-route-permissions.js';
import { ADMIN_ROUTE_PERMISSIONS } from '../admin/admin-route-permissions.js';
import { AUDIT_ROUTE_PERMISSIONS } from '../audit/audit-route-permissions.js';
import { KEY_ROUTE_PERMISSIONS } from '../keys/key-route-permissions.js';
import type { RoutePermission } from './route-permission.js';

/**
 * THE table: what every route needs (issue #18). authorize() enforces it, route-permissions.test.ts fails for a
 * mounted route without a row (and for a row without a route), the permission matrix test and docs/admin.md are
 * generated from it. Keyed by method and mounted path, so moving a route's file changes nothing here.
 */
export const QUERY_ROUTE_PERMISSIONS: readonly RoutePermission[] = [
  { method: 'GET', path: '/healthz', permission: 'public', site: 'none' },
  { method: 'GET', path: '/openapi.json', permission: 'public', site: 'none' },
  { method: 'GET', path: '/api/v1/overview', permission: 'reports', site: 'request' },
  { method: 'POST', path: '/api/v1/funnels', permission: 'reports', site: 'request' },
  { method: 'POST', path: '/api/v1/funnels/people', permission: 'people', site: 'request' },
  { method: 'GET', path: '/api/v1/exits', permission: 'reports', site: 'request' },
  { method: 'GET', path: '/api/v1/carts/abandoned', permission: 'people', site: 'request' },
  // Lists customers with their scores: person level. The segment sizes are the report.
  { method: 'GET', path: '/api/v1/rfm', permission: 'people', site: 'request' },
  { method: 'GET', path: '/api/v1/rfm/segments', permission: 'reports', site: 'request' },
  { method: 'GET', path: '/api/v1/products/abc', permission: 'reports', site: 'request' },
  { method: 'GET', path: '/api/v1/revenue', permission: 'reports', site: 'request' },
  { method: 'POST', path: '/api/v1/audiences/preview', permission: 'audiences', site: 'request' },
  { method: 'POST', path: '/api/v1/audiences', permission: 'audiences', site: 'request' },
  { method: 'GET', path: '/api/v1/audiences', permission: 'audiences', site: 'request' },
  { method: 'GET', path: '/api/v1/audiences/:id', permission: 'audiences', site: 'request' },
  { method: 'DELETE', path: '/api/v1/audiences/:id', permission: 'audiences', site: 'request' },
  {
    method: 'GET',
    path: '/api/v1/audiences/:id/members',
    permission: 'audiences',
    site: 'request',
    whenQuery: { parameter: 'format', values: ['csv', 'sha256'], permission: 'export', audit: { action: 'audience.export', target: 'id' } },
  },
  { method: 'GET', path: '/api/v1/customers/:id', permission: 'customer-lookup', site: 'request' },
  { method: 'DELETE', path: '/api/v1/customers/:id', permission: 'erase', site: 'request', audit: { action: 'customer.erase', target: 'id-sha256' } },
];

/** The collector's one keyed route (its browser routes take the public write key, not a principal). */
export const COLLECTOR_ROUTE_PERMISSIONS: readonly RoutePermission[] = [{ method: 'POST', path: '/v1/import', permission: 'import', site: 'request' }];

// Feature folders contribute their rows here: import the folder's array and spread it below.
export const ROUTE_PERMISSIONS: readonly RoutePermission[] = [
  ...QUERY_ROUTE_PERMISSIONS,
  ...KEY_ROUTE_PERMISSIONS,
  ...AUDIT_ROUTE_PERMISSIONS,
  ...ADMIN_ROUTE_PERMISSIONS,
  ...ACCOUNT_ROUTE_PERMISSIONS,
];

export const routeKey = (method: string, path: string) => `${method.toUpperCase()} ${path}`;
