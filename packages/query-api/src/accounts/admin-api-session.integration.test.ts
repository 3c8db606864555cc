import { createMemoryKeyValue } from '@spoor/infra';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { beforeAll, describe, expect, it } from 'vitest';
import { createQueryApi, type QueryApi } from '../create-query-api.js';
import { asUser, signIn, TEST_SCRYPT } from './account-test-app.js';
import { createMemoryUserStore } from './memory-user-store.js';
import { hashPassword } from './password-hash.js';

// The admin API (h-admin's /api/v1/admin/sites…) as a signed-in owner: the session cookie authenticates there too,
// and a write without the CSRF token is refused before any handler runs.
const PASSWORD = 'correct horse battery';
let app: QueryApi;

beforeAll(async () => {
  const { client, database } = await freshClickHouseDatabase();
  const userStore = createMemoryUserStore();
  const owner = await userStore.create({ email: 'owner@shop.example', displayName: 'Owner', owner: true });
  await userStore.update(owner.id, { passwordHash: await hashPassword(PASSWORD, TEST_SCRYPT) });
  const support = await userStore.create({ email: 'sam@shop.example', displayName: 'Sam' });
  await userStore.update(support.id, { passwordHash: await hashPassword(PASSWORD, TEST_SCRYPT) });
  await userStore.setRoles(support.id, { 'cookie-shop': 'support' });
  app = createQueryApi({ keyValue: createMemoryKeyValue(), clickhouse: client, database, logError: () => undefined, accounts: { userStore, scrypt: TEST_SCRYPT } });
});

describe('the admin API with a session cookie', () => {
  it('a signed-in owner creates a site with the CSRF token; without it 403 csrf; a support user is forbidden', async () => {
    const owner = await signIn(app, 'owner@shop.example', PASSWORD);
    const body = { site: 'cookie-shop' };
    const forged = await app.request('http://spoor.test/api/v1/admin/sites', asUser(owner, { method: 'POST', body, csrf: null }));
    expect(forged.status).toBe(403);
    expect((await forged.json()).error.code).toBe('csrf');
    const created = await app.request('http://spoor.test/api/v1/admin/sites', asUser(owner, { method: 'POST', body }));
    expect(created.status).toBe(201);
    const list = await app.request('http://spoor.test/api/v1/admin/sites', asUser(owner));
    expect((await list.json()).sites.map((s: { site: string }) => s.site)).toContain('cookie-shop');

    const support = await signIn(app, 'sam@shop.example', PASSWORD);
    expect((await app.request('http://spoor.test/api/v1/admin/sites/cookie-shop', asUser(support))).status).toBe(403);
  });
});
