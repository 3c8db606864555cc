import type { MiddlewareHandler } from 'hono';
import { UnauthorizedError } from '../errors/query-api-errors.js';
import { hashApiKey, type ApiKeyStore } from './api-key-store.js';
import type { QueryApiEnv } from './query-api-env.js';

export interface RequireApiKeyOptions {
  store: ApiKeyStore;
  /** Longest token accepted before hashing; longer is garbage, not a key. */
  maxKeyLength?: number;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Secret API key as `Authorization: Bearer <key>`; unknown or revoked keys are 401. */
export function requireApiKey({ store, maxKeyLength = 256 }: RequireApiKeyOptions): MiddlewareHandler<QueryApiEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const token = header ? BEARER.exec(header)?.[1] : undefined;
    if (!token) throw new UnauthorizedError('send a secret API key as "Authorization: Bearer <key>"');
    if (token.length > maxKeyLength) throw new UnauthorizedError('unknown API key');
    const record = await store.findByHash(hashApiKey(token));
    if (!record) throw new UnauthorizedError('unknown API key');
    c.set('apiKey', record);
    await next();
  };
}
