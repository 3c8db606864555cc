import type { ApiKeyRecord } from './api-key-store.js';

/** Hono context variables set by the auth middleware for every /api/v1 handler. */
export interface QueryApiEnv {
  Variables: {
    apiKey: ApiKeyRecord;
    /** The site this request reads, already checked against the key's scope. */
    site: string;
  };
}
