import { createHash } from 'node:crypto';
import type { KeyValue } from '@spoor/infra';
import { TooManySignInAttemptsError } from './account-errors.js';

/**
 * Brute-force brakes on sign-in (and on the current-password check of a password change): failures are counted
 * per account (the normalised email, known or not, so the brake itself reveals nothing) and per client address in
 * fixed windows in the KeyValue port, shared by every instance behind Redis. At the limit further attempts are
 * refused with 429 and Retry-After until the window ends — before any password is hashed, so they cost nothing.
 * A success clears the account's count. Defaults: 5 failures per account and 50 per address per 15 minutes.
 */
export interface SignInLimiterOptions {
  kv: KeyValue;
  now?: () => Date;
  windowMs?: number;
  perAccount?: number;
  perAddress?: number;
  keyPrefix?: string;
}

export interface SignInLimiter {
  /** Throws TooManySignInAttemptsError when the account or the address is at its limit. */
  check(email: string, address: string): Promise<void>;
  recordFailure(email: string, address: string): Promise<void>;
  recordSuccess(email: string): Promise<void>;
}

export function createSignInLimiter({ kv, now = () => new Date(), windowMs = 15 * 60_000, perAccount = 5, perAddress = 50, keyPrefix = 'spoor:sign-in:' }: SignInLimiterOptions): SignInLimiter {
  // Hashed: the KeyValue never holds email addresses in the clear.
  const hash = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex').slice(0, 32);
  const window = () => Math.floor(now().getTime() / windowMs);
  const keys = (email: string, address: string, w: number) => ({ account: `${keyPrefix}a:${w}:${hash(email)}`, address: `${keyPrefix}ip:${w}:${hash(address)}` });
  return {
    async check(email, address) {
      const w = window();
      const k = keys(email, address, w);
      const [account, byAddress] = await Promise.all([kv.get(k.account), kv.get(k.address)]);
      if (Number(account ?? 0) >= perAccount || Number(byAddress ?? 0) >= perAddress) {
        throw new TooManySignInAttemptsError(((w + 1) * windowMs - now().getTime()) / 1000);
      }
    },
    async recordFailure(email, address) {
      const k = keys(email, address, window());
      await Promise.all([kv.increment(k.account, 1, windowMs), kv.increment(k.address, 1, windowMs)]);
    },
    async recordSuccess(email) {
      await kv.delete([keys(email, '', window()).account]);
    },
  };
}
