/**
 * The state port: small, expiring facts shared between instances of a service (dedup seen-sets,
 * rate-limit buckets, identity caches). Redis in a deployment; in-process memory on the embedded default.
 * Implementations may lose data (Redis flushed, process restarted): callers must treat it as a cache.
 */
export interface KeyValue {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** For each key: true when it was absent and is now set (with ttl), false when it already existed. */
  setManyIfAbsent(keys: string[], value: string, ttlMs: number): Promise<boolean[]>;
  /** For each key: whether it exists. */
  existsMany(keys: string[]): Promise<boolean[]>;
  delete(keys: string[]): Promise<void>;
  /** Atomically adds `by` and returns the new value; the ttl starts when the key is created. */
  increment(key: string, by: number, ttlMs: number): Promise<number>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
