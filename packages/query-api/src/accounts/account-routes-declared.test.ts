import { createClient } from '@clickhouse/client';
import { createMemoryKeyValue } from '@spoor/infra';
import { describe, expect, it } from 'vitest';
import { createQueryApi } from '../create-query-api.js';
import { ACCOUNT_ROUTE_PERMISSIONS } from './account-route-permissions.js';
import { createMemoryUserStore } from './memory-user-store.js';

// No ClickHouse: the account routes over memory stores, inside the real createQueryApi.
const app = createQueryApi({
  keyValue: createMemoryKeyValue(),
  clickhouse: createClient({ url: 'http://127.0.0.1:1', request_timeout: 2000 }),
  database: 'spoor',
  logError: () => undefined,
  apiKeyStore: { findByHash: async () => undefined },
  accounts: { userStore: createMemoryUserStore() },
});

describe('the account routes as createQueryApi mounts them', () => {
  it('every declared row is a mounted route (answered by the account routes or, without a credential, by authorize: never a 404)', async () => {
    for (const row of ACCOUNT_ROUTE_PERMISSIONS) {
      const res = await app.request(row.path.replace(':id', 'no-such-user'), { method: row.method, headers: { 'content-type': 'application/json' }, body: row.method === 'GET' ? null : '{}' });
      const body = await res.json();
      expect([400, 401], `${row.method} ${row.path}`).toContain(res.status);
      // The account routes' own answers: a body field named (public routes), or "sign in first" (the rest).
      if (res.status === 400) {
        expect(body.error.code, `${row.method} ${row.path}`).toBe('invalid_parameter');
        expect(body.error.parameter, `${row.method} ${row.path}`).toEqual(expect.any(String));
      }
      else expect(body.error.message, `${row.method} ${row.path}`).toMatch(/^sign in/);
    }
  });

  it('/openapi.json documents every account route with its credential', async () => {
    const doc = await (await app.request('/openapi.json')).json();
    for (const row of ACCOUNT_ROUTE_PERMISSIONS) {
      const op = doc.paths[row.path.replace(':id', '{id}')]?.[row.method.toLowerCase()];
      expect(op, `${row.method} ${row.path}`).toBeDefined();
      expect(op.security, `${row.method} ${row.path}`).toEqual(row.permission === 'public' ? [] : expect.arrayContaining([{ sessionCookie: [] }]));
    }
    expect(doc.components.securitySchemes.sessionCookie).toMatchObject({ type: 'apiKey', in: 'cookie' });
  });
});
