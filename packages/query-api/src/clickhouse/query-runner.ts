import type { ClickHouseClient } from '@clickhouse/client';
import { QueryMemoryLimitError, QueryTimeoutError, StoreUnavailableError } from '../errors/query-api-errors.js';

export type QueryParams = Record<string, unknown>;

/**
 * Runs read-only analytics SQL. Every statement is a constant string with `{name:Type}` placeholders;
 * the database arrives as the `{db:Identifier}` parameter, so no caller ever concatenates SQL.
 */
export interface QueryRunner {
  rows<T>(sql: string, params: QueryParams): Promise<T[]>;
}

export interface QueryRunnerOptions {
  client: ClickHouseClient;
  database: string;
  /** ClickHouse max_execution_time for each query, seconds. */
  maxExecutionTimeSeconds: number;
  /** ClickHouse max_memory_usage for each query, bytes; 0 = no per-query limit (the server's total still holds). */
  maxMemoryBytes?: number;
}

// ClickHouse error codes meaning "the query was too expensive" vs "the server cannot serve now".
const TIMEOUT_CODES = new Set(['159', '160']); // TIMEOUT_EXCEEDED, TOO_SLOW
const MEMORY_LIMIT_CODE = '241'; // MEMORY_LIMIT_EXCEEDED: this query's limit, or the whole server's
const UNAVAILABLE_CODES = new Set(['202', '210']); // TOO_MANY_SIMULTANEOUS_QUERIES, NETWORK_ERROR
// "Query memory limit exceeded" (26.x) / "Memory limit (for query) exceeded" (older): the per-query max_memory_usage.
const QUERY_MEMORY_LIMIT = /Query memory limit exceeded|Memory limit \(for query\) exceeded/;
const NETWORK_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);

export function createQueryRunner(options: QueryRunnerOptions): QueryRunner {
  const { client, database, maxExecutionTimeSeconds, maxMemoryBytes = 0 } = options;
  // UInt64 settings travel as strings.
  const clickhouse_settings = { max_execution_time: maxExecutionTimeSeconds, timeout_overflow_mode: 'throw', max_memory_usage: String(maxMemoryBytes) } as const;
  return {
    async rows<T>(sql: string, params: QueryParams): Promise<T[]> {
      try {
        const result = await client.query({
          query: sql,
          query_params: { ...params, db: database },
          format: 'JSONEachRow',
          clickhouse_settings,
        });
        return await result.json<T>();
      } catch (err) {
        throw classifyStoreError(err, maxExecutionTimeSeconds);
      }
    },
  };
}

/** Maps driver errors to typed errors; anything unrecognised is returned unchanged (a bug: 500). */
export function classifyStoreError(err: unknown, maxExecutionTimeSeconds: number): unknown {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const message = typeof e?.message === 'string' ? e.message : '';
  if (code && TIMEOUT_CODES.has(code)) {
    return new QueryTimeoutError(`the query exceeded the ${maxExecutionTimeSeconds}s execution limit; narrow the date range or filters`);
  }
  if (code === MEMORY_LIMIT_CODE) {
    return QUERY_MEMORY_LIMIT.test(message)
      ? new QueryMemoryLimitError('the query needs more memory than one query may use; narrow the date range or filters')
      : new StoreUnavailableError('ClickHouse is out of memory right now; retry later');
  }
  if (code && UNAVAILABLE_CODES.has(code)) return new StoreUnavailableError('ClickHouse cannot serve this query right now; retry later');
  if ((code && NETWORK_ERRNOS.has(code)) || /^Timeout error\b/.test(message) || /socket hang up/.test(message)) {
    return new StoreUnavailableError('ClickHouse is unreachable; retry later');
  }
  return err;
}
