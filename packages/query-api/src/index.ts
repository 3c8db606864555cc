export { createQueryApi, type QueryApi, type QueryApiDeps } from './create-query-api.js';
export { createClickHouseApiKeyStore, hashApiKey, type ApiKeyStore, type ApiKeyRecord } from './auth/api-key-store.js';
export { DEFAULT_QUERY_LIMITS, type QueryLimits } from './params/query-limits.js';
export * from './errors/query-api-errors.js';
export { createQueryRunner, type QueryRunner } from './clickhouse/query-runner.js';
export { keyValueErasureHook, type ErasureHook, type ErasureSubject } from './erasure/erasure-hook.js';
export { queryApiSettings, queryApiSettingsSchema, type QueryApiConfig } from './config/query-api-settings.js';
export { assembleQueryApi, type QueryApiAdapters } from './assemble-query-api.js';
