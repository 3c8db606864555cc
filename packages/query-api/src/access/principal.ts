import type { Context } from 'hono';
import type { KeyScope } from '@spoor/infra';

/**
 * Who a request acts as. Decided once per request by the authenticators (access/authenticate.ts); every permission
 * check reads this and nothing else. The contract between accounts (users, sessions), scoped API keys and the
 * local admin token (issue #18): each of them only produces a Principal.
 */

/** Roles a user holds on one site. `owner` is the instance owner (every site, everything); the others are per site. */
export const SITE_ROLES = ['admin', 'analyst', 'marketer', 'support'] as const;
export type SiteRole = (typeof SITE_ROLES)[number];

/** Key scopes live in @spoor/infra (api-keys/key-scopes.ts), so the collector reads a stored key as the query API does. */
export { KEY_SCOPES, LEGACY_KEY_SCOPES, type KeyScope } from '@spoor/infra';

export type Principal =
  /** A secret API key: its sites and scopes. */
  | { kind: 'key'; keyId: string; siteIds: string[]; scopes: KeyScope[] }
  /** A signed-in user: instance owner, or a role per site (site id → role). */
  | { kind: 'user'; userId: string; email: string; sessionId: string; owner: boolean; roles: Record<string, SiteRole> }
  /** Whoever can read the data dir's owner-only admin token file (the `spoor` CLI beside a running server): everything. */
  | { kind: 'local-admin' };

/**
 * One way of proving who you are. Answers undefined when the request carries no credential of this kind (the next
 * authenticator is asked), a Principal when it carries a valid one, and throws UnauthorizedError (errors/) when it
 * carries an invalid one — a bad credential is never silently treated as none.
 */
export type Authenticator = (c: Context) => Promise<Principal | undefined>;

/** How a principal appears in the audit log and in error messages: never a secret. */
export function describePrincipal(p: Principal): string {
  switch (p.kind) {
    case 'key':
      return `key:${p.keyId}`;
    case 'user':
      return `user:${p.userId}`;
    case 'local-admin':
      return 'local-admin';
  }
}
