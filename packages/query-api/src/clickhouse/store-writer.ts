import type { ClickHouseClient } from '@clickhouse/client';
import { classifyStoreError, type QueryParams } from './query-runner.js';

/** Tables the query API itself writes (audiences) or erases from; anything else is refused. */
export const WRITABLE_TABLES = ['audiences', 'erasure_log', 'erasure_register'] as const;
export type WritableTable = (typeof WRITABLE_TABLES)[number];

/**
 * The few writes the query API makes: saving audiences, erasure mutations, the erasure audit log.
 * Like the QueryRunner, statements are constants with `{name:Type}` parameters and `{db:Identifier}`.
 */
export interface StoreWriter {
  /** A statement without result rows (ALTER … DELETE); `settings` e.g. mutations_sync. */
  command(sql: string, params: QueryParams, settings?: Record<string, string | number>): Promise<void>;
  /** A read that belongs to a write (erasure counts over whole tables): same time budget as the writes. */
  rows<T>(sql: string, params: QueryParams): Promise<T[]>;
  insert(table: WritableTable, rows: Array<Record<string, unknown>>): Promise<void>;
}

export interface StoreWriterOptions {
  client: ClickHouseClient;
  database: string;
  /** Budget of each write and of its reads; an erasure scans whole tables (the raw archive's JSON), so it is long. */
  maxExecutionTimeSeconds: number;
}

export function createStoreWriter({ client, database, maxExecutionTimeSeconds }: StoreWriterOptions): StoreWriter {
  return {
    async command(sql, params, settings = {}) {
      try {
        await client.command({ query: sql, query_params: { ...params, db: database }, clickhouse_settings: { max_execution_time: maxExecutionTimeSeconds, ...settings } });
      } catch (err) {
        throw classifyStoreError(err, maxExecutionTimeSeconds);
      }
    },
    async rows<T>(sql: string, params: QueryParams): Promise<T[]> {
      try {
        const result = await client.query({ query: sql, query_params: { ...params, db: database }, format: 'JSONEachRow', clickhouse_settings: { max_execution_time: maxExecutionTimeSeconds } });
        return await result.json<T>();
      } catch (err) {
        throw classifyStoreError(err, maxExecutionTimeSeconds);
      }
    },
    async insert(table, rows) {
      if (!(WRITABLE_TABLES as readonly string[]).includes(table)) throw new Error(`store-writer: table ${table} is not writable`);
      if (rows.length === 0) return;
      try {
        await client.insert({ table: `${database}.${table}`, values: rows, format: 'JSONEachRow' });
      } catch (err) {
        throw classifyStoreError(err, maxExecutionTimeSeconds);
      }
    },
  };
}
