export interface RetryPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { initialDelayMs: 200, maxDelayMs: 5_000 };

export type RetryOutcome<T> = { done: true; value: T } | { done: false; lastError: Error | undefined };

/**
 * Retries `attempt` with capped exponential backoff (with jitter) for as long as `isActive()` holds: a store that
 * is down makes the batch wait (lag grows) instead of failing the consumer into a crash/rebalance loop.
 */
export async function retryWhileActive<T>(
  attempt: () => Promise<T>,
  options: { policy: RetryPolicy; isActive: () => boolean; onError?: (error: Error, attempt: number) => void; sleep?: (ms: number) => Promise<void> },
): Promise<RetryOutcome<T>> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let delay = options.policy.initialDelayMs;
  let lastError: Error | undefined;
  for (let n = 1; options.isActive(); n++) {
    try {
      return { done: true, value: await attempt() };
    } catch (err) {
      lastError = err instanceof Error ? err : new Error(String(err));
      options.onError?.(lastError, n);
    }
    // Sleep in short slices so a lost partition or a stop is noticed quickly.
    const until = Date.now() + delay * (0.75 + Math.random() * 0.5);
    while (Date.now() < until && options.isActive()) await sleep(Math.min(250, until - Date.now()));
    delay = Math.min(options.policy.maxDelayMs, delay * 2);
  }
  return { done: false, lastError };
}
