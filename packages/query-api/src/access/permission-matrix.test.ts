import { describe, expect, it } from 'vitest';
import { createMemoryKeyValue } from '@spoor/infra';
import { KEY_SCOPES, LEGACY_KEY_SCOPES, SITE_ROLES, type Principal } from './principal.js';
import { ROLE_GRANTS, SCOPE_GRANTS, type Permission } from './permissions.js';
import type { RoutePermission } from './route-permission.js';
import { ROUTE_PERMISSIONS } from './route-permissions.js';
import { appWithPrincipals, OTHER_SITE, requestFor, SITE } from './testing/principals-app.js';

/**
 * The whole role × route and scope × route matrix, generated from the one table: every principal below calls every
 * route (and each `whenQuery` variant) on SITE, and is refused (403) exactly when the grants say so. The expectation
 * reads ROLE_GRANTS / SCOPE_GRANTS directly, not isAllowed(), so a wrong decision function fails here too.
 */
const user = (userId: string, roles: Record<string, (typeof SITE_ROLES)[number]>, owner = false): Principal => ({ kind: 'user', userId, email: `${userId}@example.test`, sessionId: `s-${userId}`, owner, roles });
const key = (keyId: string, scopes: Principal & { kind: 'key' } extends { scopes: infer S } ? S : never, siteIds = [SITE]): Principal => ({ kind: 'key', keyId, siteIds, scopes });

type Case = { principal: Principal; may: (permission: Permission, instanceWide: boolean) => boolean };
const cases: Record<string, Case> = {
  owner: { principal: user('owner', {}, true), may: () => true },
  'local-admin': { principal: { kind: 'local-admin' }, may: () => true },
  'user of another site (admin there)': { principal: user('stranger', { [OTHER_SITE]: 'admin' }), may: () => false },
  'key of another site (every scope)': { principal: key('k-other', [...KEY_SCOPES], [OTHER_SITE]), may: () => false },
  'legacy key': { principal: key('k-legacy', [...LEGACY_KEY_SCOPES]), may: (p, wide) => !wide && LEGACY_KEY_SCOPES.some((s) => SCOPE_GRANTS[s].includes(p)) },
};
for (const role of SITE_ROLES) {
  cases[`role ${role}`] = { principal: user(role, { [SITE]: role, [OTHER_SITE]: 'support' }), may: (p, wide) => !wide && ROLE_GRANTS[role].includes(p) };
}
for (const scope of KEY_SCOPES) {
  cases[`scope ${scope}`] = { principal: key(`k-${scope}`, [scope]), may: (p, wide) => !wide && SCOPE_GRANTS[scope].includes(p) };
}

const app = appWithPrincipals(Object.fromEntries(Object.entries(cases).map(([name, c]) => [name, c.principal])), createMemoryKeyValue());

interface Variant {
  row: RoutePermission;
  query: Record<string, string>;
  permission: Permission;
  /** The request names no site: an instance-wide action. */
  instanceWide: boolean;
}
const variants: Variant[] = ROUTE_PERMISSIONS.filter((row) => row.path.startsWith('/api/v1/') && row.permission !== 'public' && row.permission !== 'signed-in').flatMap((row) => [
  { row, query: {}, permission: row.permission as Permission, instanceWide: row.site === 'none' },
  ...(row.site === 'request-or-none' ? [{ row, query: {}, permission: row.permission as Permission, instanceWide: true }] : []),
  ...(row.whenQuery ? row.whenQuery.values.map((value) => ({ row, query: { [row.whenQuery!.parameter]: value }, permission: row.whenQuery!.permission, instanceWide: false })) : []),
]);

const send = async (variant: Variant, who?: string) => {
  const { url, init } = requestFor(variant.row, variant.instanceWide ? undefined : SITE, variant.query);
  const headers = { ...(init.headers as Record<string, string> | undefined), ...(who ? { 'x-test-principal': who } : {}) };
  return app.request(url, { ...init, headers });
};
const label = (v: Variant) => `${v.row.method} ${v.row.path}${Object.keys(v.query).length ? `?${new URLSearchParams(v.query)}` : ''}${v.instanceWide && v.row.site !== 'none' ? ' (no site)' : ''}`;

describe('permission matrix: every principal × every route', () => {
  it('covers every route of the table', () => {
    expect(variants.length).toBeGreaterThanOrEqual(20);
  });

  for (const [who, { may }] of Object.entries(cases)) {
    it(`${who}: allowed or refused exactly as the grants say`, async () => {
      const wrong: string[] = [];
      for (const variant of variants) {
        const res = await send(variant, who);
        const allowed = may(variant.permission, variant.instanceWide);
        const body = res.status === 403 ? ((await res.json()) as { error: { code: string } }) : undefined;
        // Allowed: authorize let it through (a user's state-changing request then meets the CSRF check: 403 `csrf`).
        if (allowed && (res.status === 401 || body?.error.code === 'forbidden')) wrong.push(`${label(variant)}: expected allowed, got ${res.status}`);
        if (!allowed && (res.status !== 403 || body?.error.code !== 'forbidden')) wrong.push(`${label(variant)}: expected 403 forbidden, got ${res.status}`);
      }
      expect(wrong).toEqual([]);
    });
  }

  it('without any credential: 401 on every non-public route', async () => {
    const statuses = await Promise.all(variants.map(async (v) => [label(v), (await send(v)).status] as const));
    expect(statuses.filter(([, status]) => status !== 401)).toEqual([]);
  });
});
