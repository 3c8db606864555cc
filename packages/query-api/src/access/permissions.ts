import type { KeyScope, Principal, SiteRole } from './principal.js';

/**
 * What a route needs, in one vocabulary. Every route declares exactly one (access/route-permissions.ts); the
 * role and scope grants below are the whole policy (docs/admin.md prints them as the matrix).
 */
export const PERMISSIONS = [
  /** Aggregates: overview, funnels, exits, revenue, products, RFM segment sizes. */
  'reports',
  /** Person-level lists and timelines: funnel people, abandoned carts, RFM members. */
  'people',
  /** One customer's profile, looked up by id or email (what support needs on a call). */
  'customer-lookup',
  /** Audience definitions and their members. */
  'audiences',
  /** Hashed contact exports for ad platforms. */
  'export',
  /** Erasing a person everywhere. */
  'erase',
  /** Server-side import of events (collector /v1/import). */
  'import',
  /** Sites, keys, users, retention, privacy settings, audit log, migrations. */
  'admin',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_GRANTS: Record<SiteRole, readonly Permission[]> = {
  admin: PERMISSIONS,
  analyst: ['reports', 'people', 'customer-lookup', 'audiences'],
  marketer: ['reports', 'audiences', 'export'],
  support: ['customer-lookup'],
};

export const SCOPE_GRANTS: Record<KeyScope, readonly Permission[]> = {
  reports: ['reports'],
  people: ['people', 'customer-lookup', 'audiences'],
  export: ['export'],
  erase: ['erase'],
  import: ['import'],
  admin: ['admin'],
};

/** The one decision: may this principal do this on this site (undefined: an instance-wide action)? */
export function isAllowed(principal: Principal, permission: Permission, site: string | undefined): boolean {
  switch (principal.kind) {
    case 'local-admin':
      return true;
    case 'user': {
      if (principal.owner) return true;
      if (site === undefined) return false;
      const role = principal.roles[site];
      return role !== undefined && ROLE_GRANTS[role].includes(permission);
    }
    case 'key':
      // A key acts on its own sites only: instance-wide actions (users, new sites) need the owner or the local admin,
      // so an admin-scoped key of one shop can never reach another's.
      if (site === undefined || !principal.siteIds.includes(site)) return false;
      return principal.scopes.some((scope) => SCOPE_GRANTS[scope].includes(permission));
  }
}
