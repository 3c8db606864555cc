import { KEY_SCOPES, SITE_ROLES } from './principal.js';
import { ROLE_GRANTS, SCOPE_GRANTS, type Permission } from './permissions.js';
import type { RoutePermission } from './route-permission.js';
import { routeKey } from './route-permissions.js';

/** Who holds a permission on a site: roles (the instance owner always) and key scopes. */
export function holdersOf(permission: Permission): { roles: string[]; scopes: string[] } {
  return {
    roles: ['owner', ...SITE_ROLES.filter((role) => ROLE_GRANTS[role].includes(permission))],
    scopes: KEY_SCOPES.filter((scope) => SCOPE_GRANTS[scope].includes(permission)),
  };
}

/** One sentence saying what a route needs, the same in the OpenAPI document and docs/admin.md. */
export function describeRoutePermission(row: RoutePermission): string {
  if (row.permission === 'public') return 'Public: no credential.';
  if (row.permission === 'signed-in') return 'Any signed-in principal; shows only its own things.';
  const needs = (permission: Permission) => {
    if (row.site === 'none') return `\`${permission}\` instance-wide: the instance owner or the local admin only.`;
    const { roles, scopes } = holdersOf(permission);
    const onSite = `\`${permission}\` on the site (roles: ${roles.join(', ')}; key scopes: ${scopes.join(', ') || 'none'})`;
    return row.site === 'request-or-none' ? `${onSite}; without a site, instance-wide (owner or local admin).` : `${onSite}.`;
  };
  const base = `Needs ${needs(row.permission)}`;
  const when = row.whenQuery;
  return when ? `${base} With ${when.parameter}=${when.values.join('|')}: needs ${needs(when.permission)}` : base;
}

interface OpenApiDocument {
  paths?: object;
}
type Operation = { description?: string; [extension: string]: unknown };

/**
 * Adds to every operation of the OpenAPI document what its row in the route table declares: `x-spoor-permission`
 * (machine-readable) and a sentence in its description. Generated from the same table authorize() enforces, so the
 * document cannot promise what the server does not do.
 */
export function documentPermissions<T extends OpenApiDocument>(doc: T, table: readonly RoutePermission[]): T {
  const rows = new Map(table.map((row) => [routeKey(row.method, row.path), row]));
  for (const [path, operations] of Object.entries((doc.paths ?? {}) as Record<string, Record<string, Operation>>)) {
    const honoPath = path.replace(/\{([^}]+)\}/g, ':$1');
    for (const [method, operation] of Object.entries(operations)) {
      const row = rows.get(routeKey(method, honoPath));
      if (!row || typeof operation !== 'object') continue;
      operation['x-spoor-permission'] = { permission: row.permission, site: row.site, ...(row.whenQuery ? { whenQuery: row.whenQuery } : {}) };
      const sentence = describeRoutePermission(row);
      operation.description = operation.description ? `${operation.description}\n\n${sentence}` : sentence;
    }
  }
  return doc;
}
