import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import type { Authenticator } from '../../access/principal.js';
import { UnauthorizedError } from '../../errors/query-api-errors.js';

/** What marks a bearer token as the local admin token, so other authenticators (API keys, sessions) leave it alone. */
export const ADMIN_TOKEN_PREFIX = 'spoor_admin_';

/** A fresh token for one server start: 32 random bytes, never reused across starts. */
export function newAdminToken(): string {
  return randomBytes(32).toString('base64url');
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;
const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * The `spoor` CLI beside a running server proves it may administer it by reading the owner-only admin.json in the
 * data dir (cli/src/admin/admin-file.ts) and sending `Authorization: Bearer spoor_admin_<token>`. Answers undefined
 * for any other credential (the next authenticator decides), the local-admin principal for the right token, and 401
 * for a wrong one. Compared as SHA-256 digests with timingSafeEqual: equal lengths, and no early exit an attacker
 * could time.
 */
export function adminTokenAuthenticator(token: string): Authenticator {
  if (token.length < 32) throw new Error('adminTokenAuthenticator: the token must be at least 32 characters');
  const expected = digest(token);
  return async (c) => {
    const header = c.req.header('authorization');
    const bearer = header ? BEARER.exec(header)?.[1] : undefined;
    if (!bearer?.startsWith(ADMIN_TOKEN_PREFIX)) return undefined;
    if (!timingSafeEqual(digest(bearer.slice(ADMIN_TOKEN_PREFIX.length)), expected)) {
      throw new UnauthorizedError('wrong local admin token: the server was restarted since it was read, or it belongs to another data dir');
    }
    return { kind: 'local-admin' };
  };
}
