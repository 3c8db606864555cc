import { createHash, randomBytes } from 'node:crypto';

/**
 * One-time set-up tokens: 256 random bits, handed out once (in a link), stored only as their SHA-256 on the user
 * (users.setup_token_hash) with an expiry. Following the link sets the password and clears the hash: a second use,
 * or a newer link, leaves the old token worthless.
 */
export const DEFAULT_SETUP_TOKEN_TTL_MS = 72 * 60 * 60 * 1000;

export function newSetupToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashSetupToken(token) };
}

export const hashSetupToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** Where a person sets their password: the dashboard's page; the token rides in the fragment so it never reaches a log. */
export function setupLink(token: string, publicUrl = ''): string {
  return `${publicUrl.replace(/\/+$/, '')}/app/setup#token=${token}`;
}
