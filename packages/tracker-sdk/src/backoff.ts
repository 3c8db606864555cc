/**
 * Exponential backoff with jitter: base·2^attempt capped, then scaled by a random factor in [0.5, 1)
 * so that many browsers recovering from the same outage do not retry in lock-step. A server's
 * Retry-After is a floor, never shortened by jitter.
 */
export function backoffDelay(attempt: number, random: number, retryAfter = 0, base = 1000, cap = 300_000): number {
  return Math.max(retryAfter, Math.min(cap, base * 2 ** attempt) * (0.5 + random / 2));
}

/** Retry-After is either delta-seconds or an HTTP date; returns milliseconds (0 when absent or unreadable). */
export function parseRetryAfter(header: string | null | undefined, now: number): number {
  if (!header) return 0;
  const ms = +header >= 0 ? +header * 1000 : Date.parse(header) - now;
  return ms > 0 ? ms : 0;
}

/** Only these 4xx may succeed later; any other 4xx means the batch itself is wrong and is dropped. */
export function isRetryable(status: number): boolean {
  return status < 400 || status > 499 || status == 408 || status == 425 || status == 429;
}
