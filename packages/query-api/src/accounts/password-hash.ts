import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashes with node:crypto scrypt (no native dependency, no hand-rolled scheme). The stored form carries
 * its parameters, `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>`, so raising the cost later keeps old hashes verifiable.
 *
 * Defaults (docs/admin.md "Users and sign-in"): N = 2^15, r = 8, p = 1 — 32 MiB and roughly 50–100 ms of one core
 * per hash, the OWASP-recommended floor for scrypt; 16-byte random salt, 32-byte derived key.
 */
export interface ScryptParameters {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT: ScryptParameters = { N: 2 ** 15, r: 8, p: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;

function derive(password: string, salt: Buffer, { N, r, p }: ScryptParameters): Promise<Buffer> {
  // scrypt needs 128 * N * r bytes; Node refuses above maxmem (32 MiB by default), so allow twice what is needed.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string, params: ScryptParameters = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

const STORED = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9+/=]{1,64})\$([A-Za-z0-9+/=]{1,128})$/;

/** Whether `password` matches `stored`; a malformed stored value never matches. Compared in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = STORED.exec(stored);
  if (!m) return false;
  const params = { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  const expected = Buffer.from(m[5]!, 'base64');
  const actual = await derive(password, Buffer.from(m[4]!, 'base64'), params);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * A hash of a random password nobody knows, with the same parameters as real ones. Sign-in verifies against it
 * when the email is unknown (or the user has no password yet), so an unknown email costs the same time as a wrong
 * password and timing does not reveal which accounts exist.
 */
export function createDummyHash(params: ScryptParameters = DEFAULT_SCRYPT): () => Promise<string> {
  let pending: Promise<string> | undefined;
  return () => (pending ??= hashPassword(randomBytes(32).toString('base64'), params));
}
