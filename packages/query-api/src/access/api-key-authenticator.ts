import { hashApiKey, type ApiKeyStore } from '../auth/api-key-store.js';
import { createFailedKeyLimiter, type FailedKeyLimiter } from '../auth/failed-key-limiter.js';
import { socketPeerAddress, type RequestAddress } from '../auth/request-address.js';
import { TooManyFailedKeysError, UnauthorizedError } from '../errors/query-api-errors.js';
import type { KeyUsage } from '../keys/key-usage.js';
import type { Authenticator } from './principal.js';
import { effectiveScopes } from '../keys/key-scopes.js';

export interface ApiKeyAuthenticatorOptions {
  store: ApiKeyStore;
  /** Longest token accepted before hashing; longer is garbage, not a key. */
  maxKeyLength?: number;
  /** Budget of failed lookups per client address (default: 20 at once, 2 more per second). */
  failedLookups?: FailedKeyLimiter;
  clientAddress?: RequestAddress;
  /** Told of every accepted key (it writes "last used" at most once a minute per key). */
  usage?: KeyUsage;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Secret API key as `Authorization: Bearer <key>` → a `key` principal with its sites and scopes (keys made before
 * scopes read as LEGACY_KEY_SCOPES). No Bearer header: undefined, costs nothing. Unknown or revoked keys are 401 and
 * spend the client address's budget; an address out of budget gets 429 with Retry-After before its key is even
 * looked up, so guessing keys costs the store nothing and gains the guesser a few tries a second.
 */
export function apiKeyAuthenticator({
  store,
  maxKeyLength = 256,
  failedLookups = createFailedKeyLimiter(),
  clientAddress = socketPeerAddress,
  usage,
}: ApiKeyAuthenticatorOptions): Authenticator {
  return async (c) => {
    const header = c.req.header('authorization');
    const token = header ? BEARER.exec(header)?.[1] : undefined;
    if (!token) return undefined;
    const address = clientAddress(c);
    const wait = failedLookups.retryAfterSeconds(address);
    if (wait > 0) throw new TooManyFailedKeysError('too many requests with unknown API keys from this address; retry later', wait);
    const fail = () => {
      failedLookups.recordFailure(address);
      return new UnauthorizedError('unknown API key');
    };
    if (token.length > maxKeyLength) throw fail();
    const record = await store.findByHash(hashApiKey(token));
    if (!record) throw fail();
    usage?.touch(record.keyId);
    return { kind: 'key', keyId: record.keyId, siteIds: record.siteIds, scopes: effectiveScopes(record.scopes) };
  };
}
