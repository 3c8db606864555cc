/**
 * Exponential backoff with jitter: base·2^attempt capped, then scaled by a random factor in [0.5, 1)
 * so that many browsers recovering from the same outage do not retry in lock-step. A server's
 * Retry-After is a floor, never shortened by jitter.
 */
export function backoffDelay(attempt: number, random: number, retryAfter = 0): number {
  // 1 s, 2 s, 4 s, … capped at 5 minutes
  return Math.max(retryAfter, Math.min(3e5, 1e3 * 2 ** attempt) * (0.5 + random / 2));
}

/**
 * Retry-After in milliseconds. The collector sends delta-seconds; the HTTP-date form (which it never
 * sends) reads as 0, so the ordinary backoff applies.
 */
export function parseRetryAfter(header: string | null | undefined): number {
  return +header! * 1000 || 0;
}

/** Only 408 and 429 among the 4xx may succeed later; any other 4xx means the batch itself is wrong and is dropped. */
export function isRetryable(status: number): boolean {
  return status < 400 || status > 499 || status == 408 || status == 429;
}
