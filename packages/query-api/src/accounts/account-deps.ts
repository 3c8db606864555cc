import type { KeyValue } from '@spoor/infra';
import type { Authenticator } from '../access/principal.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { RequestAddress } from '../auth/request-address.js';
import type { HashingGateOptions } from './hashing-gate.js';
import type { ScryptParameters } from './password-hash.js';
import type { SessionCookieOptions } from './session-cookie.js';
import type { SessionStoreOptions } from './session-store.js';
import type { SignInLimiterOptions } from './sign-in-limiter.js';
import type { UserStore } from './user-store.js';

/** What the account routes (account-routes.ts) need; everything but the stores has a default. */
export interface AccountRoutesDeps {
  userStore: UserStore;
  /** Sessions and sign-in counters: Redis when several instances serve the API, in-process otherwise. */
  kv: KeyValue;
  audit?: AuditLog;
  /**
   * Credentials asked before the session cookie (a Bearer API key, the local admin token): the first to answer a
   * Principal decides. Requests so authenticated carry no ambient credential and skip the CSRF check.
   */
  authenticators?: readonly Authenticator[];
  now?: () => Date;
  clientAddress?: RequestAddress;
  cookie?: SessionCookieOptions;
  /** Origins besides the API's own that may make cookie requests (require-csrf.ts). */
  allowedOrigins?: readonly string[];
  sessions?: Pick<SessionStoreOptions, 'idleMs' | 'absoluteMs' | 'keyPrefix'>;
  signInLimits?: Omit<SignInLimiterOptions, 'kv' | 'now'>;
  hashing?: HashingGateOptions;
  /** Cost of new password hashes (password-hash.ts DEFAULT_SCRYPT); tests lower it. */
  scrypt?: ScryptParameters;
  setupTokenTtlMs?: number;
  /** Prefixed to set-up links. */
  publicUrl?: string;
}
