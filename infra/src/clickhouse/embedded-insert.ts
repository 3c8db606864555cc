import type { ClickHouseClient } from '@clickhouse/client';

/**
 * chDB's raw passthrough insert: the payload (bytes already in `format`) is handed to the engine as is, skipping
 * @clickhouse/client's per-row encoding and the connection's stream → string → "INSERT …\n<body>" concatenation,
 * which together cost about as much as the engine's own parsing (measured in docs/performance/processor.md).
 * Settings apply to this insert only.
 */
export interface EmbeddedInsertParams {
  table: string;
  columns: readonly string[];
  format: 'JSONCompactEachRow' | 'JSONEachRow' | 'TabSeparated';
  values: Buffer;
  settings?: Record<string, string | number | boolean>;
}
export type EmbeddedInsert = (params: EmbeddedInsertParams) => Promise<void>;

const inserts = new WeakMap<ClickHouseClient, EmbeddedInsert>();

export function registerEmbeddedInsert(client: ClickHouseClient, insert: EmbeddedInsert): void {
  inserts.set(client, insert);
}

/** The raw insert of an embedded (chDB) client made by createClickHouse; undefined for a ClickHouse server. */
export function embeddedInsert(client: ClickHouseClient): EmbeddedInsert | undefined {
  return inserts.get(client);
}
