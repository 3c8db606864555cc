import type { ClickHouseClient } from '@clickhouse/client';
import type { KeyValue } from '@spoor/infra';
import type { Authenticator, Principal } from '../principal.js';
import { createQueryApi } from '../../create-query-api.js';
import { createMemoryAuditLog } from '../../audit/memory-audit-log.js';
import type { RoutePermission } from '../route-permission.js';
import type { ApiKeyStore } from '../../auth/api-key-store.js';

export const SITE = 'shop-1';
export const OTHER_SITE = 'shop-2';

/** A store that answers every read with no rows and accepts every write: authorization is all these tests look at. */
export const emptyClickHouse = {
  query: async () => ({ json: async () => [] }),
  insert: async () => ({}),
  command: async () => ({}),
  exec: async () => ({}),
  close: async () => undefined,
} as unknown as ClickHouseClient;

const noKeys: ApiKeyStore = { findByHash: async () => undefined };

/** Who the test names in `x-test-principal` (an authenticator only tests have: the real ones are tested apart). */
export function principalAuthenticator(principals: Record<string, Principal>): Authenticator {
  return async (c) => {
    const name = c.req.header('x-test-principal');
    return name === undefined ? undefined : principals[name];
  };
}

/** The query API over an empty store, authenticating whoever `x-test-principal` names; sessions in the test's `keyValue`. */
export function appWithPrincipals(principals: Record<string, Principal>, keyValue: KeyValue) {
  return createQueryApi({
    keyValue,
    clickhouse: emptyClickHouse,
    database: 'spoor',
    apiKeyStore: noKeys,
    auditLog: createMemoryAuditLog(),
    keyUsage: { touch: () => undefined },
    authenticators: [principalAuthenticator(principals)],
    logError: () => undefined,
    limits: { concurrentPerKey: 1000, concurrentPerSite: 1000, concurrentTotal: 1000, queuedPerKey: 1000, queuedTotal: 1000 },
  });
}

/** A request that reaches `row` on `site`: path ids filled in, the site where the row says it is read. */
export function requestFor(row: RoutePermission, site: string | undefined, query: Record<string, string> = {}): { url: string; init: RequestInit } {
  const path = row.path.replace(':site', encodeURIComponent(site ?? '')).replace(/:[A-Za-z_]+/g, 'x1');
  const named = site !== undefined && (row.site === 'request' || row.site === 'request-or-none');
  const params = new URLSearchParams(query);
  const hasBody = row.method === 'POST' || row.method === 'PUT' || row.method === 'PATCH';
  if (named && !hasBody) params.set('site', site);
  const body = hasBody ? JSON.stringify(named ? { site } : {}) : undefined;
  const qs = params.toString();
  return {
    url: qs ? `${path}?${qs}` : path,
    init: { method: row.method, ...(body !== undefined ? { body, headers: { 'content-type': 'application/json' } } : {}) },
  };
}
