/** Ceilings on what one request may ask of ClickHouse. Every one is configurable through createQueryApi. */
export interface QueryLimits {
  /** Longest date range a request may cover, days. */
  maxRangeDays: number;
  /** Range used when `from`/`to` are omitted, days ending now. */
  defaultRangeDays: number;
  /** Most rows any list in a response may hold. */
  maxRows: number;
  /** Rows in a list when `limit` is omitted. */
  defaultRows: number;
  /** ClickHouse max_execution_time per query, seconds; past it the request is answered 504 `query_timeout`. */
  maxExecutionTimeSeconds: number;
  /** ClickHouse max_memory_usage per query, bytes; past it 422 `query_memory_limit`. 0: no per-query limit. */
  maxMemoryBytes: number;
  /** Requests of one API key being answered at once (limits/query-concurrency.ts). */
  concurrentPerKey: number;
  /** Requests for one site being answered at once, whichever keys send them. */
  concurrentPerSite: number;
  /** Requests being answered at once in this process. */
  concurrentTotal: number;
  /** Requests of one API key waiting for a slot; one more is answered 429 `rate_limited`. */
  queuedPerKey: number;
  /** Requests waiting for a slot in this process; one more is answered 503 `unavailable`. */
  queuedTotal: number;
  /** Longest wait for a slot, milliseconds; then 503 `unavailable`. */
  maxQueueWaitMs: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxRangeDays: 400,
  defaultRangeDays: 30,
  maxRows: 1000,
  defaultRows: 10,
  maxExecutionTimeSeconds: 20,
  maxMemoryBytes: 4 * 1024 ** 3,
  concurrentPerKey: 2,
  concurrentPerSite: 4,
  concurrentTotal: 4,
  queuedPerKey: 4,
  queuedTotal: 16,
  maxQueueWaitMs: 5_000,
};
