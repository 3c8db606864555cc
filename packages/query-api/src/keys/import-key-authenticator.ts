import { hashApiKey, type ApiKeyStore } from '../auth/api-key-store.js';
import { effectiveScopes } from './key-scopes.js';

/**
 * The collector's /v1/import authenticator (its ImportAuthenticator shape) over the same key store as the query API:
 * the key's sites and effective scopes (legacy keys: the legacy scopes, which include `import`), so the collector
 * refuses a key without scope `import`.
 */
export function importKeyAuthenticator(store: ApiKeyStore) {
  return async (apiKey: string) => {
    const record = await store.findByHash(hashApiKey(apiKey));
    return record && { keyId: record.keyId, siteIds: record.siteIds, scopes: effectiveScopes(record.scopes) };
  };
}
