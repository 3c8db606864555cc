import type { KeyedRow, TableName } from './build-rows.js';

/**
 * The processor's view of ClickHouse: "which of these keys does this table already hold?" and "insert these
 * rows, deduplicated by this token". clickhouse-event-store.ts is the adapter; drills wrap it to inject faults.
 */
export interface EventStore {
  existingKeys(table: TableName, rows: KeyedRow[]): Promise<Set<string>>;
  insert(table: TableName, rows: Array<Record<string, unknown>>, dedupToken: string): Promise<void>;
}
