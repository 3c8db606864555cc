import type { Permission } from './permissions.js';

/**
 * What one route needs. Every route the query API (and the collector's /v1/import) mounts has exactly one row;
 * access/route-permissions.ts is the table, feature folders (accounts/, admin/…) contribute their rows, and a test
 * fails when a mounted route has none (issue #18).
 */
export interface RoutePermission {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The Hono path as mounted, e.g. `/api/v1/funnels` or `/api/v1/admin/sites/:site`. */
  path: string;
  /**
   * `public`: no credential needed (health, OpenAPI, sign-in). `signed-in`: any principal; the handler only ever
   * shows the principal's own things (its session, its sites). Otherwise the permission isAllowed() checks.
   */
  permission: Permission | 'public' | 'signed-in';
  /**
   * Where the site the action is on comes from: `request` — the request's one `site` (JSON body for POST, query
   * string otherwise: access/request-site.ts); `path` — the `:site` path parameter; `none` — an instance-wide
   * action (only the instance owner and the local admin pass, unless the permission is public or signed-in);
   * `request-or-none` — the request's site when it names one, else instance-wide (user administration: a site admin
   * names the site, the owner may name none).
   */
  site: 'request' | 'path' | 'none' | 'request-or-none';
  /**
   * A different permission when a query parameter takes one of `values`: the members of an audience as JSON are a
   * list (`audiences`), as CSV a contact export (`export`). Still one row, still decided by authorize.
   */
  whenQuery?: { parameter: string; values: readonly string[]; permission: Permission; audit?: RouteAudit };
  /** Recorded in the audit log when the request succeeds (exports, erasures: docs/admin.md "Audit log"). */
  audit?: RouteAudit;
}

export interface RouteAudit {
  /** Dotted verb, e.g. `customer.erase`. */
  action: string;
  /** The `:id` path parameter as the target: as it is (an audience id), or its SHA-256 (a customer id is personal). */
  target?: 'id' | 'id-sha256';
}
