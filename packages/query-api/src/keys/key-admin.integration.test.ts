import { beforeAll, describe, expect, it } from 'vitest';
import { createMemoryKeyValue } from '@spoor/infra';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import type { ClickHouseClient } from '@clickhouse/client';
import { LEGACY_KEY_SCOPES } from '../access/principal.js';
import { createClickHouseApiKeyStore } from '../auth/api-key-store.js';
import { createClickHouseAuditLog } from '../audit/clickhouse-audit-log.js';
import { createQueryApi, type QueryApi } from '../create-query-api.js';
import { createQueryRunner } from '../clickhouse/query-runner.js';
import { loadFixture } from '../testing/index.js';
import { createClickHouseKeyAdmin } from './key-admin.js';
import { createThrottledKeyUsage, clickHouseKeyUsageWriter } from './key-usage.js';

// Real chDB: the migrations (0400 scopes, 0401 audit_log), the key store with its cache, the audit table.
const ADMIN_KEY = 'sk_test_keys_admin_0123456789';
const LEGACY_KEY = 'sk_test_keys_legacy_0123456789';
const OTHER_ADMIN_KEY = 'sk_test_keys_other_admin_0123456789';
let app: QueryApi;
let client: ClickHouseClient;
let database: string;
const written: string[] = [];

beforeAll(async () => {
  ({ client, database } = await freshClickHouseDatabase());
  await loadFixture(client, database, {
    apiKeys: [
      { key: ADMIN_KEY, siteIds: ['shop-1'], keyId: 'key-admin', scopes: ['admin', 'reports'] },
      { key: LEGACY_KEY, siteIds: ['shop-1'], keyId: 'key-legacy' },
      { key: OTHER_ADMIN_KEY, siteIds: ['shop-2'], keyId: 'key-other-admin', scopes: ['admin'] },
      { key: 'sk_test_keys_both_sites_0123456789', siteIds: ['shop-1', 'shop-2'], keyId: 'key-both', scopes: ['reports'] },
    ],
  });
  // The key cache lives long here (an hour): a revocation that bites at once did so by invalidation, not expiry.
  const store = createClickHouseApiKeyStore(createQueryRunner({ client, database, maxExecutionTimeSeconds: 30 }), { cacheTtlMs: 3_600_000 });
  const write = clickHouseKeyUsageWriter(client, database);
  app = createQueryApi({
    keyValue: createMemoryKeyValue(),
    clickhouse: client,
    database,
    apiKeyStore: store,
    keyAdmin: createClickHouseKeyAdmin({ client, database, onChange: (id) => store.forget?.(id) }),
    keyUsage: createThrottledKeyUsage({ write: async (id, at) => (written.push(id), write(id, at)) }),
    auditLog: createClickHouseAuditLog({ client, database }),
    logError: (e) => console.error(e),
  });
});

const call = async (method: string, path: string, key: string, body?: unknown) => {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await app.request(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: await res.json() };
};

describe('scoped API keys through /api/v1/admin/keys', () => {
  it('creates a key whose secret is shown once, which does what its scopes say and no more', async () => {
    const created = await call('POST', '/api/v1/admin/keys', ADMIN_KEY, { site: 'shop-1', scopes: ['reports'], name: 'dashboard' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ siteIds: ['shop-1'], scopes: ['reports'], name: 'dashboard', legacy: false, revoked: false, createdBy: 'key:key-admin', lastUsedAt: null });
    const secret: string = created.body.secret;
    expect(secret).toMatch(/^sk_/);
    expect(created.body.prefix).toBe(secret.slice(0, 10));

    expect((await call('GET', '/api/v1/overview?site=shop-1', secret)).status).toBe(200);
    expect((await call('GET', '/api/v1/carts/abandoned?site=shop-1', secret)).status).toBe(403);
    expect((await call('GET', '/api/v1/overview?site=shop-2', secret)).status).toBe(403);

    const list = await call('GET', '/api/v1/admin/keys?site=shop-1', ADMIN_KEY);
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(list.body.keys.map((k: { keyId: string }) => k.keyId)).toEqual(expect.arrayContaining([created.body.keyId, 'key-admin', 'key-legacy']));
    expect(list.body.keys.map((k: { keyId: string }) => k.keyId)).not.toContain('key-other-admin');
  });

  it('shows a key from before scopes as legacy, and it keeps doing what it did (everything but admin)', async () => {
    const list = await call('GET', '/api/v1/admin/keys?site=shop-1', ADMIN_KEY);
    expect(list.body.keys.find((k: { keyId: string }) => k.keyId === 'key-legacy')).toMatchObject({ legacy: true, scopes: [...LEGACY_KEY_SCOPES], prefix: '' });
    expect((await call('GET', '/api/v1/carts/abandoned?site=shop-1', LEGACY_KEY)).status).toBe(200);
    expect((await call('GET', '/api/v1/admin/keys?site=shop-1', LEGACY_KEY)).status).toBe(403);
  });

  it('revocation bites on the very next request, though the key was cached; rotation swaps the secret at once', async () => {
    const created = (await call('POST', '/api/v1/admin/keys', ADMIN_KEY, { site: 'shop-1', scopes: ['reports'] })).body;
    expect((await call('GET', '/api/v1/overview?site=shop-1', created.secret)).status).toBe(200);
    const rotated = await call('POST', `/api/v1/admin/keys/${created.keyId}/rotate`, ADMIN_KEY, { site: 'shop-1' });
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ keyId: created.keyId, scopes: ['reports'] });
    expect(rotated.body.secret).not.toBe(created.secret);
    expect((await call('GET', '/api/v1/overview?site=shop-1', created.secret)).status).toBe(401);
    expect((await call('GET', '/api/v1/overview?site=shop-1', rotated.body.secret)).status).toBe(200);

    const revoked = await call('DELETE', `/api/v1/admin/keys/${created.keyId}?site=shop-1`, ADMIN_KEY);
    expect(revoked).toMatchObject({ status: 200, body: { keyId: created.keyId, revoked: true } });
    expect((await call('GET', '/api/v1/overview?site=shop-1', rotated.body.secret)).status).toBe(401);
    expect((await call('POST', `/api/v1/admin/keys/${created.keyId}/rotate`, ADMIN_KEY, { site: 'shop-1' })).status).toBe(400);
  });

  it('no key can be given scopes its maker lacks, nor be managed from a site it does not belong to', async () => {
    const beyond = await call('POST', '/api/v1/admin/keys', ADMIN_KEY, { site: 'shop-1', scopes: ['erase'] });
    expect(beyond.status).toBe(403);
    expect(beyond.body.error.message).toContain('erase');
    expect((await call('DELETE', '/api/v1/admin/keys/key-legacy?site=shop-2', OTHER_ADMIN_KEY)).status).toBe(404);
    const both = await call('DELETE', '/api/v1/admin/keys/key-both?site=shop-2', OTHER_ADMIN_KEY);
    expect(both.status).toBe(403);
    expect(both.body.error.message).toContain('shop-1');
    expect((await call('DELETE', '/api/v1/admin/keys/key-other-admin?site=shop-1', ADMIN_KEY)).status).toBe(404);
    expect((await call('POST', '/api/v1/admin/keys', ADMIN_KEY, { site: 'shop-1', scopes: ['sudo'] })).body.error.parameter).toBe('scopes.0');
  });

  it('records last use at most once a minute per key, and lists it', async () => {
    const before = written.filter((id) => id === 'key-admin').length;
    for (let i = 0; i < 5; i += 1) await call('GET', '/api/v1/admin/keys?site=shop-1', ADMIN_KEY);
    expect(written.filter((id) => id === 'key-admin').length - before).toBe(0);
    const list = await call('GET', '/api/v1/admin/keys?site=shop-1', ADMIN_KEY);
    expect(list.body.keys.find((k: { keyId: string }) => k.keyId === 'key-admin').lastUsedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('audits key administration, readable per site by its admins and instance-wide by nobody with a key', async () => {
    const audit = await call('GET', '/api/v1/admin/audit?site=shop-1', ADMIN_KEY);
    expect(audit.status).toBe(200);
    const actions = audit.body.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['key.create', 'key.rotate', 'key.revoke']));
    expect(audit.body.entries[0]).toMatchObject({ actor: 'key:key-admin', actorKind: 'key', site: 'shop-1' });
    expect(JSON.stringify(audit.body)).not.toMatch(/sk_[A-Za-z0-9_-]{20}/);
    expect((await call('GET', '/api/v1/admin/audit?site=shop-1', OTHER_ADMIN_KEY)).status).toBe(403);
    expect((await call('GET', '/api/v1/admin/audit/instance', ADMIN_KEY)).status).toBe(403);
  });

  it('audits exports and erasures, naming an erased customer only by the SHA-256 of its id', async () => {
    const exportKey = (await call('POST', '/api/v1/admin/keys', ADMIN_KEY, { site: 'shop-1', scopes: ['reports'] })).body.secret;
    expect(exportKey).toBeDefined();
    // The admin key lacks erase: a legacy key may erase (and export).
    const erased = await call('DELETE', '/api/v1/customers/c-gone?site=shop-1', LEGACY_KEY);
    expect(erased.status).toBe(200);
    const entries = (await call('GET', '/api/v1/admin/audit?site=shop-1', ADMIN_KEY)).body.entries;
    const erase = entries.find((e: { action: string }) => e.action === 'customer.erase');
    expect(erase).toMatchObject({ actor: 'key:key-legacy', target: expect.stringMatching(/^[0-9a-f]{64}$/), detail: { route: 'DELETE /api/v1/customers/:id' } });
    expect(JSON.stringify(entries)).not.toContain('c-gone');
  });
});
