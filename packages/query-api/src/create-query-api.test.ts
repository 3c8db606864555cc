import { describe, expect, it } from 'vitest';
import { createMemoryKeyValue } from '@spoor/infra';
import { createClient } from '@clickhouse/client';
import { createQueryApi } from './create-query-api.js';
import { hashApiKey, type ApiKeyStore } from './auth/api-key-store.js';

// Unit level: no ClickHouse at all. An in-memory key store (our own port) and a client pointed at a closed port.
const keys: ApiKeyStore = {
  async findByHash(hash) {
    return hash === hashApiKey('sk_unit') ? { keyId: 'k', siteIds: ['shop-1'] } : undefined;
  },
};
const app = createQueryApi({
  keyValue: createMemoryKeyValue(),
  clickhouse: createClient({ url: 'http://127.0.0.1:1', request_timeout: 2000 }),
  database: 'spoor',
  apiKeyStore: keys,
  logError: () => undefined,
});
const auth = { authorization: 'Bearer sk_unit' };

describe('createQueryApi without a reachable ClickHouse', () => {
  it('answers 503 (retry later), not 500', async () => {
    const res = await app.request('/api/v1/overview?site=shop-1', { headers: auth });
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('unavailable');
  });

  it('still validates before touching the store: 400 names the field, 403 for other sites', async () => {
    const bad = await app.request('/api/v1/funnels', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ site: 'shop-1', steps: 'x' }) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.parameter).toBe('steps');
    expect((await app.request('/api/v1/exits?site=other', { headers: auth })).status).toBe(403);
  });

  it('refuses a database name that is not an identifier', () => {
    expect(() => createQueryApi({ keyValue: createMemoryKeyValue(), clickhouse: createClient({ url: 'http://127.0.0.1:1' }), database: 'x; DROP', apiKeyStore: keys })).toThrow(/identifier/);
  });
});
