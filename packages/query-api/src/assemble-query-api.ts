import type { ClickHouseClient } from '@clickhouse/client';
import type { KeyValue } from '@spoor/infra';
import type { QueryApiConfig } from './config/query-api-settings.js';
import { createQueryApi, type QueryApi } from './create-query-api.js';
import type { ApiKeyStore } from './auth/api-key-store.js';
import type { ErasureHook } from './erasure/erasure-hook.js';
import type { Authenticator } from './access/principal.js';

/** What the entry point opened (infra config/open-adapters.ts) and hands to the query API. */
export interface QueryApiAdapters {
  store: { client: ClickHouseClient; database: string };
  /** Run after a customer erasure to clear state outside ClickHouse (the event log of this process, caches). */
  erasureHooks?: ErasureHook[];
  /** Defaults to the store's api_keys table. */
  apiKeyStore?: ApiKeyStore;
  /** Credentials besides API keys, asked first (the local admin token of `spoor start`, sessions). */
  authenticators?: Authenticator[];
  /** Sign-in sessions and sign-in counters (accounts/): what openKeyValue opened (Redis with REDIS_URL, else in-process). */
  keyValue: KeyValue;
}

/**
 * The query API from its settings and adapters: `src/main.ts`, `spoor start` and `spoor query-api` all call this,
 * so the query ceilings are the same under every entry point.
 */
export function assembleQueryApi(config: QueryApiConfig, adapters: QueryApiAdapters): QueryApi {
  return createQueryApi({
    clickhouse: adapters.store.client,
    database: adapters.store.database,
    keyValue: adapters.keyValue,
    limits: { maxExecutionTimeSeconds: config.QUERY_MAX_EXECUTION_TIME, maxRangeDays: config.QUERY_MAX_RANGE_DAYS, maxRows: config.QUERY_MAX_ROWS },
    ...(adapters.erasureHooks ? { erasureHooks: adapters.erasureHooks } : {}),
    ...(adapters.apiKeyStore ? { apiKeyStore: adapters.apiKeyStore } : {}),
    ...(adapters.authenticators ? { authenticators: adapters.authenticators } : {}),
    // DDL of POST /api/v1/admin/migrate and retention changes runs on the cluster the schema lives on.
    ...(config.CLICKHOUSE_URL && config.CLICKHOUSE_CLUSTER ? { cluster: config.CLICKHOUSE_CLUSTER } : {}),
  });
}
