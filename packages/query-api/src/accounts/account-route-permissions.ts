import type { RoutePermission } from '../access/route-permission.js';

/**
 * The account routes' rows of the route permission table (access/route-permission.ts). Sign-in and set-up are
 * public (they are how one gets a credential); the session routes show or change only the caller's own session.
 * User administration needs `admin`; its site rule is finer than one site per request and is enforced by the routes
 * themselves (accounts/user-admin-routes.ts): the instance owner manages everyone, an admin of a site only roles on
 * the sites they administer and users wholly within them. `site: 'none'` would shut site admins out, so the rows say
 * `request`: a site admin names the site they act on as every per-site request does (`?site=` on GET, `site` in the
 * JSON body otherwise) and the routes check every other site the request touches (the roles it grants, the user's
 * roles). The owner may leave `site` out (an authorize middleware must let the owner through without one).
 */
export const ACCOUNT_ROUTE_PERMISSIONS: RoutePermission[] = [
  { method: 'POST', path: '/api/v1/session', permission: 'public', site: 'none' },
  { method: 'GET', path: '/api/v1/session', permission: 'signed-in', site: 'none' },
  { method: 'DELETE', path: '/api/v1/session', permission: 'signed-in', site: 'none' },
  { method: 'POST', path: '/api/v1/session/password', permission: 'signed-in', site: 'none' },
  { method: 'POST', path: '/api/v1/setup', permission: 'public', site: 'none' },
  { method: 'GET', path: '/api/v1/admin/users', permission: 'admin', site: 'request-or-none' },
  { method: 'POST', path: '/api/v1/admin/users', permission: 'admin', site: 'request-or-none' },
  { method: 'PATCH', path: '/api/v1/admin/users/:id', permission: 'admin', site: 'request-or-none' },
  { method: 'POST', path: '/api/v1/admin/users/:id/setup-link', permission: 'admin', site: 'request-or-none' },
];
