import type { MiddlewareHandler } from 'hono';
import { TooManyFailedKeysError, UnauthorizedError } from '../errors/query-api-errors.js';
import { hashApiKey, type ApiKeyStore } from './api-key-store.js';
import { createFailedKeyLimiter, type FailedKeyLimiter } from './failed-key-limiter.js';
import type { QueryApiEnv } from './query-api-env.js';
import { socketPeerAddress, type RequestAddress } from './request-address.js';

export interface RequireApiKeyOptions {
  store: ApiKeyStore;
  /** Longest token accepted before hashing; longer is garbage, not a key. */
  maxKeyLength?: number;
  /** Budget of failed lookups per client address (default: 20 at once, 2 more per second). */
  failedLookups?: FailedKeyLimiter;
  clientAddress?: RequestAddress;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Secret API key as `Authorization: Bearer <key>`; unknown or revoked keys are 401. Each failure spends the client
 * address's budget; an address out of budget gets 429 with Retry-After before its key is even looked up, so guessing
 * keys costs the store nothing and gains the guesser a few tries a second.
 */
export function requireApiKey({
  store,
  maxKeyLength = 256,
  failedLookups = createFailedKeyLimiter(),
  clientAddress = socketPeerAddress,
}: RequireApiKeyOptions): MiddlewareHandler<QueryApiEnv> {
  return async (c, next) => {
    const address = clientAddress(c);
    const wait = failedLookups.retryAfterSeconds(address);
    if (wait > 0) throw new TooManyFailedKeysError('too many requests with unknown API keys from this address; retry later', wait);
    const fail = (message: string) => {
      failedLookups.recordFailure(address);
      return new UnauthorizedError(message);
    };
    const header = c.req.header('authorization');
    const token = header ? BEARER.exec(header)?.[1] : undefined;
    // No key costs the store nothing: not a guess, not counted.
    if (!token) throw new UnauthorizedError('send a secret API key as "Authorization: Bearer <key>"');
    if (token.length > maxKeyLength) throw fail('unknown API key');
    const record = await store.findByHash(hashApiKey(token));
    if (!record) throw fail('unknown API key');
    c.set('apiKey', record);
    await next();
  };
}
