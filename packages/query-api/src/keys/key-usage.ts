import type { ClickHouseClient } from '@clickhouse/client';

/** Told of every accepted API key; keeps "last used" (shown by key listings) cheap. */
export interface KeyUsage {
  touch(keyId: string): void;
}

export interface ThrottledKeyUsageOptions {
  /** Writes one use; failures are reported to `onError` and never reach the request. */
  write: (keyId: string, at: Date) => Promise<void>;
  /** At most one write per key per interval (default one minute): "last used" is accurate to that. */
  intervalMs?: number;
  /** Keys remembered; beyond, the least recently written is forgotten (and may be written again early). */
  maxKeys?: number;
  now?: () => number;
  onError?: (err: unknown) => void;
}

/** A request never waits for the write: touch() returns at once, the write runs in the background. */
export function createThrottledKeyUsage({ write, intervalMs = 60_000, maxKeys = 10_000, now = Date.now, onError = logToStderr }: ThrottledKeyUsageOptions): KeyUsage {
  const lastWritten = new Map<string, number>();
  return {
    touch(keyId) {
      const at = now();
      const last = lastWritten.get(keyId);
      if (last !== undefined && at - last < intervalMs) return;
      lastWritten.delete(keyId);
      lastWritten.set(keyId, at);
      if (lastWritten.size > maxKeys) lastWritten.delete(lastWritten.keys().next().value!);
      write(keyId, new Date(at)).catch(onError);
    },
  };
}

const logToStderr = (err: unknown) => console.error('[query-api] could not record an API key use:', err);

/** Writes uses to api_key_usage (migration 0400). */
export function clickHouseKeyUsageWriter(client: ClickHouseClient, database: string) {
  return async (keyId: string, at: Date) => {
    await client.insert({ table: `${database}.api_key_usage`, format: 'JSONEachRow', values: [{ key_id: keyId, used_at: clickhouseTime(at) }] });
  };
}

/** '2026-12-05 07:00:00.123': what a DateTime64(3, 'UTC') column takes in JSONEachRow. */
export const clickhouseTime = (at: Date) => at.toISOString().replace('T', ' ').replace('Z', '');
/** The inverse, for answers: ISO 8601 with Z. */
export const isoFromClickhouse = (value: string) => `${value.replace(' ', 'T')}Z`;
