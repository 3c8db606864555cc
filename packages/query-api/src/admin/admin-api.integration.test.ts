import { AUDIT_ROUTE_PERMISSIONS } from '../audit/audit-route-permissions.js';
import { KEY_ROUTE_PERMISSIONS } from '../keys/key-route-permissions.js';
import fc from 'fast-check';
import type { Context } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { MAX_RETENTION_DAYS, createMemoryKeyValue } from '@spoor/infra';
import type { Authenticator, Principal } from '../access/principal.js';
import { createMemoryAuditLog, type MemoryAuditLog } from '../audit/memory-audit-log.js';
import { createQueryApi, type QueryApi } from '../create-query-api.js';
import { loadFixture } from '../testing/index.js';
import { ADMIN_ROUTE_PERMISSIONS } from './admin-route-permissions.js';
import { ACCOUNT_ROUTE_PERMISSIONS } from '../accounts/account-route-permissions.js';
import { adminTokenAuthenticator, ADMIN_TOKEN_PREFIX } from './local-admin/admin-token-authenticator.js';

const TOKEN = 'a'.repeat(43);
const ADMIN = `${ADMIN_TOKEN_PREFIX}${TOKEN}`;
const LEGACY_KEY = 'sk_test_admin_legacy_0123456789';
/** Test users, as a sessions authenticator would produce them: the bearer names the user. */
const USERS: Record<string, Principal> = {
  'user-shop1-admin': { kind: 'user', userId: 'u1', email: 'a@x', sessionId: 's1', owner: false, roles: { 'shop-1': 'admin' } },
  'user-shop1-analyst': { kind: 'user', userId: 'u2', email: 'b@x', sessionId: 's2', owner: false, roles: { 'shop-1': 'analyst' } },
};
const testUsers: Authenticator = async (c: Context) => USERS[c.req.header('authorization')?.replace(/^Bearer /, '') ?? ''];

let app: QueryApi;
let audit: MemoryAuditLog;

beforeAll(async () => {
  const ctx = await freshClickHouseDatabase();
  await loadFixture(ctx.client, ctx.database, {
    apiKeys: [{ key: LEGACY_KEY, siteIds: ['shop-1'] }],
    sites: [
      { site_id: 'shop-1', write_key: 'wk_shop1' },
      { site_id: 'shop-2', write_key: 'wk_shop2' },
    ],
  });
  audit = createMemoryAuditLog();
  app = createQueryApi({ keyValue: createMemoryKeyValue(), clickhouse: ctx.client, database: ctx.database, authenticators: [adminTokenAuthenticator(TOKEN), testUsers], auditLog: audit, logError: () => undefined });
});

async function call(method: string, path: string, credential: string | undefined, body?: unknown) {
  const headers: Record<string, string> = credential ? { authorization: `Bearer ${credential}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await app.request(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: await res.json() };
}

describe('admin API with the local admin token', () => {
  it('creates a site (201, key shown once), refuses to create it again (409), shows, lists and audits it', async () => {
    const created = await call('POST', '/api/v1/admin/sites', ADMIN, { site: 'new-shop', allowed_origins: ['https://new.example'], retention_days: 30 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ site: { site: 'new-shop', allowed_origins: ['https://new.example'], retention_days: 30, honour_gpc: true }, api_key: expect.stringMatching(/^sk_/) });
    expect((await call('POST', '/api/v1/admin/sites', ADMIN, { site: 'new-shop' })).status).toBe(409);
    expect((await call('GET', '/api/v1/admin/sites/new-shop', ADMIN)).body.write_key).toBe(created.body.site.write_key);
    const list = await call('GET', '/api/v1/admin/sites', ADMIN);
    expect(list.body.sites.map((s: { site: string }) => s.site)).toEqual(['new-shop', 'shop-1', 'shop-2']);
    expect(audit.entries).toContainEqual(expect.objectContaining({ action: 'site.create', site: 'new-shop', actor: { kind: 'local-admin' }, target: created.body.api_key_id }));
    // The key issued with the site reads that site's reports.
    expect((await app.request('/api/v1/overview?site=new-shop', { headers: { authorization: `Bearer ${created.body.api_key}` } })).status).toBe(200);
  });

  it('changes only the given settings, applies and audits them; 404 for an unknown site', async () => {
    const patched = await call('PATCH', '/api/v1/admin/sites/shop-2', ADMIN, { allowed_redirect_hosts: ['shop.example', '*.shop.example'], honour_gpc: false });
    expect(patched).toMatchObject({ status: 200, body: { site: 'shop-2', write_key: 'wk_shop2', allowed_redirect_hosts: ['shop.example', '*.shop.example'], honour_gpc: false } });
    const again = await call('PATCH', '/api/v1/admin/sites/shop-2', ADMIN, { retention_days: 90 });
    expect(again.body).toMatchObject({ retention_days: 90, honour_gpc: false, allowed_redirect_hosts: ['shop.example', '*.shop.example'] });
    expect(audit.entries).toContainEqual(expect.objectContaining({ action: 'site.update', site: 'shop-2', detail: { fields: 'retention_days', retention_days: 90 } }));
    expect((await call('PATCH', '/api/v1/admin/sites/nope', ADMIN, { honour_gpc: true })).status).toBe(404);
    expect(await call('PATCH', '/api/v1/admin/sites/shop-2', ADMIN, {})).toMatchObject({ status: 400, body: { error: { parameter: 'body' } } });
  });

  it('rotates the link key, issues keys and migrates, each audited', async () => {
    const rotated = await call('POST', '/api/v1/admin/sites/shop-1/link-key/rotate', ADMIN);
    expect(rotated).toMatchObject({ status: 201, body: { site: 'shop-1', key_id: expect.stringMatching(/^lk_/) } });
    expect(JSON.stringify(rotated.body)).not.toMatch(/secret/);
    // One way to issue a key: the key routes (keys/key-routes.ts); the old per-site route is gone.
    expect((await call('POST', '/api/v1/admin/sites/shop-1/keys', ADMIN)).status).toBe(404);
    const key = await call('POST', '/api/v1/admin/keys', ADMIN, { site: 'shop-1', scopes: ['reports'] });
    expect(key).toMatchObject({ status: 201, body: { siteIds: ['shop-1'], scopes: ['reports'], secret: expect.stringMatching(/^sk_/) } });
    expect(await call('POST', '/api/v1/admin/migrate', ADMIN)).toEqual({ status: 200, body: { applied: [] } });
    expect(audit.entries.map((e) => e.action)).toEqual(expect.arrayContaining(['site.link_key.rotate', 'key.create', 'schema.migrate']));
    // Secrets never reach the audit log.
    expect(JSON.stringify(audit.entries)).not.toContain(key.body.secret);
  });
});

describe('who may administer', () => {
  it('401 without a credential and with a wrong admin token (never read as no credential)', async () => {
    expect((await call('GET', '/api/v1/admin/sites', undefined)).status).toBe(401);
    const wrong = await call('GET', '/api/v1/admin/sites', `${ADMIN_TOKEN_PREFIX}${'b'.repeat(43)}`);
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect((await call('POST', '/api/v1/admin/migrate', `${ADMIN_TOKEN_PREFIX}x`)).status).toBe(401);
  });

  it('a pre-scopes API key administers nothing: 403 on its own site, its site list is empty', async () => {
    expect((await call('GET', '/api/v1/admin/sites', LEGACY_KEY)).body).toEqual({ sites: [] });
    for (const [method, path, body] of [
      ['GET', '/api/v1/admin/sites/shop-1'],
      ['PATCH', '/api/v1/admin/sites/shop-1', { honour_gpc: true }],
      ['POST', '/api/v1/admin/keys', { site: 'shop-1', scopes: ['reports'] }],
      ['POST', '/api/v1/admin/sites/shop-1/link-key/rotate'],
      ['POST', '/api/v1/admin/sites', { site: 'evil' }],
      ['POST', '/api/v1/admin/migrate'],
    ] as const) {
      expect((await call(method, path, LEGACY_KEY, body)).status, `${method} ${path}`).toBe(403);
    }
  });

  it("a site admin administers that site only; an analyst nothing; creating sites and migrating stay the owner's", async () => {
    expect((await call('PATCH', '/api/v1/admin/sites/shop-1', 'user-shop1-admin', { name: 'Shop one' })).status).toBe(200);
    expect((await call('GET', '/api/v1/admin/sites', 'user-shop1-admin')).body.sites.map((s: { site: string }) => s.site)).toEqual(['shop-1']);
    expect((await call('PATCH', '/api/v1/admin/sites/shop-2', 'user-shop1-admin', { name: 'x' })).status).toBe(403);
    expect((await call('POST', '/api/v1/admin/sites', 'user-shop1-admin', { site: 'other' })).status).toBe(403);
    expect((await call('POST', '/api/v1/admin/migrate', 'user-shop1-admin')).status).toBe(403);
    expect((await call('PATCH', '/api/v1/admin/sites/shop-1', 'user-shop1-analyst', { name: 'x' })).status).toBe(403);
    expect(audit.entries.filter((e) => e.actor.kind === 'user').map((e) => e.action)).toEqual(['site.update']);
  });

  it('every admin route has a permission row and every row a route in the OpenAPI document', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/v1/admin'))
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`));
    // /api/v1/admin/users… are the account routes' (accounts/account-route-permissions.ts).
    const rows = [...ADMIN_ROUTE_PERMISSIONS, ...KEY_ROUTE_PERMISSIONS, ...AUDIT_ROUTE_PERMISSIONS, ...ACCOUNT_ROUTE_PERMISSIONS].filter((r) => r.path.startsWith('/api/v1/admin'));
    expect(documented.sort()).toEqual(rows.map((r) => `${r.method} ${r.path}`).sort());
  });
});

describe('hostile settings: 400 naming the field, nothing stored', () => {
  const host = fc.stringMatching(/^[a-z0-9]{1,10}\.[a-z]{2,6}$/);
  const hostileOrigin = fc.oneof(
    host.map((h) => `https://${h}/`),
    host.map((h) => `https://${h}/cart`),
    host,
    host.map((h) => `javascript://${h}`),
    host.map((h) => `https://user@${h}`),
    host.map((h) => `https://${h.toUpperCase()}`),
    host.map((h) => ` https://${h}`),
    host.map((h) => `https://${h}\n`),
    fc.constantFrom('', 'null', '**', 'https://'),
  );
  const hostileHost = fc.oneof(
    host.map((h) => `https://${h}`),
    host.map((h) => `${h}:8080`),
    host.map((h) => `${h}/path`),
    host.map((h) => `${h}.`),
    host.map((h) => h.toUpperCase()),
    host.map((h) => `a..${h}`),
    host.map((h) => `-${h}`),
    host.map((h) => `**.${h}`),
    fc.constantFrom('', '*', '*.', 'ex ample.com', 'bücher.example'),
  );
  const hostileDays = fc.oneof(fc.integer({ max: -1 }), fc.integer({ min: MAX_RETENTION_DAYS + 1 }), fc.double({ noInteger: true, noNaN: true }), fc.constantFrom('30', null, true, [30]));

  it('origins, redirect hosts and retention days, in PATCH and in create', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 }), hostileOrigin, hostileHost, hostileDays, async (which, origin, redirectHost, days) => {
        const [field, value, parameter] =
          which === 0
            ? (['allowed_origins', ['https://ok.example', origin], 'allowed_origins.1'] as const)
            : which === 1
              ? (['allowed_redirect_hosts', [redirectHost], 'allowed_redirect_hosts.0'] as const)
              : (['retention_days', days, 'retention_days'] as const);
        const patch = await call('PATCH', '/api/v1/admin/sites/shop-1', ADMIN, { [field]: value });
        expect(patch).toMatchObject({ status: 400, body: { error: { code: 'invalid_parameter', parameter } } });
        const create = await call('POST', '/api/v1/admin/sites', ADMIN, { site: 'hostile', [field]: value });
        expect(create).toMatchObject({ status: 400, body: { error: { parameter } } });
      }),
      { numRuns: 60 },
    );
    expect((await call('GET', '/api/v1/admin/sites/hostile', ADMIN)).status).toBe(404);
  });

  it('site ids in the path and the body, and unknown fields', async () => {
    for (const site of ['UPPER', '-x', 'a'.repeat(64), 'a b', '%2e%2e']) {
      expect((await call('PATCH', `/api/v1/admin/sites/${encodeURIComponent(site)}`, ADMIN, { name: 'x' })).body.error?.parameter, site).toBe('site');
      expect((await call('POST', '/api/v1/admin/sites', ADMIN, { site })).body.error?.parameter, site).toBe('site');
    }
    expect((await call('PATCH', '/api/v1/admin/sites/shop-1', ADMIN, { write_key: 'wk_mine' })).body.error?.parameter).toBe('write_key');
    expect((await call('PATCH', '/api/v1/admin/sites/shop-1', ADMIN, { name: 'a\u0000b' })).body.error?.parameter).toBe('name');
  });
});
