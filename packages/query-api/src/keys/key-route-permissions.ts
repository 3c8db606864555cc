import type { RoutePermission } from '../access/route-permission.js';

/** /api/v1/admin/keys (keys/key-routes.ts): administration of the request's site. */
export const KEY_ROUTE_PERMISSIONS: readonly RoutePermission[] = [
  { method: 'GET', path: '/api/v1/admin/keys', permission: 'admin', site: 'request' },
  { method: 'POST', path: '/api/v1/admin/keys', permission: 'admin', site: 'request' },
  { method: 'DELETE', path: '/api/v1/admin/keys/:id', permission: 'admin', site: 'request' },
  { method: 'POST', path: '/api/v1/admin/keys/:id/rotate', permission: 'admin', site: 'request' },
];
