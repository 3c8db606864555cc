import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { AuditLog } from '../audit/audit-log.js';
import type { QueryApiEnv } from '../auth/query-api-env.js';
import { socketPeerAddress, type RequestAddress } from '../auth/request-address.js';
import { ForbiddenError, UnauthorizedError } from '../errors/query-api-errors.js';
import { isAllowed, type Permission } from './permissions.js';
import type { Principal } from './principal.js';
import { DEFAULT_MAX_SITE_LENGTH, namesSite, siteOfPath, siteOfRequest } from './request-site.js';
import type { RouteAudit, RoutePermission } from './route-permission.js';
import { ROUTE_PERMISSIONS, routeKey } from './route-permissions.js';

export interface AuthorizeOptions {
  /** The route table (default: access/route-permissions.ts). */
  table?: readonly RoutePermission[];
  maxSiteLength?: number;
  /** Where successful exports and erasures are recorded (rows with `audit`); none: not recorded. */
  audit?: AuditLog;
  clientAddress?: RequestAddress;
}

export const SIGN_IN_HINT = 'sign in, or send a secret API key as "Authorization: Bearer <key>"';

/**
 * The one place that decides whether a request may run (issue #18). Finds the matched route's row (method and
 * mounted path), resolves the site the row says the action is on, and asks isAllowed(). A route without a row is
 * refused (403): a forgotten declaration fails closed, and route-permissions.test.ts fails before it ships.
 * A path no route matches needs a principal too (401), then answers 404 as before: no unauthenticated route probing.
 * Runs after authenticate(), which set (or did not set) `principal`.
 */
export function authorize({ table = ROUTE_PERMISSIONS, maxSiteLength = DEFAULT_MAX_SITE_LENGTH, audit, clientAddress = socketPeerAddress }: AuthorizeOptions = {}): MiddlewareHandler<QueryApiEnv> {
  const rows = new Map(table.map((row) => [routeKey(row.method, row.path), row]));
  return async (c, next) => {
    const principal = c.get('principal');
    // The endpoint is the first matched route bound to a method; `use` middleware is bound to ALL.
    const endpoint = matchedRoutes(c).find((route) => route.method !== 'ALL');
    if (!endpoint) {
      if (!principal) throw new UnauthorizedError(SIGN_IN_HINT);
      return next();
    }
    const row = rows.get(routeKey(endpoint.method, endpoint.path));
    if (!row) throw new ForbiddenError(`${endpoint.method} ${endpoint.path} declares no permission, so nobody may call it`);
    if (row.permission === 'public') return next();
    if (!principal) throw new UnauthorizedError(SIGN_IN_HINT);
    const site = await siteOf(c, row, maxSiteLength);
    if (site !== undefined) c.set('site', site);
    if (row.permission === 'signed-in') return next();
    const { permission, audited } = effectivePermission(row, (name) => c.req.query(name));
    if (!isAllowed(principal, permission, site)) throw new ForbiddenError(refusal(principal, permission, site));
    await next();
    if (audited && audit && c.res.status < 400) await recordAudit(c, audit, audited, principal, site, row, clientAddress);
  };
}

async function siteOf(c: Context, row: RoutePermission, maxSiteLength: number): Promise<string | undefined> {
  switch (row.site) {
    case 'request':
      return siteOfRequest(c, maxSiteLength);
    case 'request-or-none':
      return (await namesSite(c)) ? siteOfRequest(c, maxSiteLength) : undefined;
    case 'path':
      return siteOfPath(c.req.path, row.path, maxSiteLength);
    case 'none':
      return undefined;
  }
}

/** The permission a request on this row needs, and what to audit: `whenQuery` switches both. */
export function effectivePermission(row: RoutePermission, query: (name: string) => string | undefined): { permission: Permission; audited?: RouteAudit } {
  const when = row.whenQuery;
  if (when) {
    const value = query(when.parameter);
    if (value !== undefined && when.values.includes(value)) return { permission: when.permission, ...(when.audit ? { audited: when.audit } : {}) };
  }
  if (row.permission === 'public' || row.permission === 'signed-in') throw new Error(`effectivePermission: ${row.path} needs no permission`);
  return { permission: row.permission, ...(row.audit ? { audited: row.audit } : {}) };
}

/** Says which rule refused, never what exists: the same words whether or not the site exists. */
function refusal(principal: Principal, permission: Permission, site: string | undefined): string {
  if (site === undefined) return `permission "${permission}" instance-wide needs the instance owner or the local admin`;
  if (principal.kind === 'key') {
    if (!principal.siteIds.includes(site)) return `this API key has no access to site "${site}"`;
    return `this API key's scopes (${principal.scopes.join(', ') || 'none'}) do not grant "${permission}"`;
  }
  if (principal.kind === 'user') return `your role on site "${site}" does not grant "${permission}"`;
  return `not allowed: "${permission}" on site "${site}"`;
}

async function recordAudit(
  c: Context<QueryApiEnv>,
  audit: AuditLog,
  audited: RouteAudit,
  actor: Principal,
  site: string | undefined,
  row: RoutePermission,
  clientAddress: RequestAddress,
): Promise<void> {
  const id = pathId(c.req.path, row.path);
  const target = id === undefined || audited.target === undefined ? undefined : audited.target === 'id' ? id : createHash('sha256').update(id, 'utf8').digest('hex');
  const detail: Record<string, string> = { route: `${row.method} ${row.path}` };
  if (row.whenQuery) detail[row.whenQuery.parameter] = c.req.query(row.whenQuery.parameter) ?? '';
  await audit.record({
    action: audited.action,
    actor,
    address: clientAddress(c),
    ...(site !== undefined ? { site } : {}),
    ...(target !== undefined ? { target } : {}),
    detail,
  });
}

function pathId(requestPath: string, pattern: string): string | undefined {
  const at = pattern.split('/').indexOf(':id');
  const raw = at < 0 ? undefined : requestPath.split('/')[at];
  if (raw === undefined) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
