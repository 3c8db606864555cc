import type { RoutePermission } from '../access/route-permission.js';

/** The audit log (audit/audit-routes.ts): a site's entries to its admins, every entry to the owner and the local admin. */
export const AUDIT_ROUTE_PERMISSIONS: readonly RoutePermission[] = [
  { method: 'GET', path: '/api/v1/admin/audit', permission: 'admin', site: 'request' },
  { method: 'GET', path: '/api/v1/admin/audit/instance', permission: 'admin', site: 'none' },
];
