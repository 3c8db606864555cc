import type { TableName } from './build-rows.js';

/**
 * The columns the processor writes per table, in insert order, with the value a row gets when it does not set one.
 * Rows are built positionally in this order (build-rows.ts) and inserted as JSONCompactEachRow with this column list:
 * no key names per row, and no object → array conversion. Columns with a DEFAULT expression the processor never
 * sets (inserted_at) are left to ClickHouse.
 */
const S = '';
export const TABLE_COLUMNS: Record<TableName, ReadonlyArray<readonly [string, unknown]>> = {
  raw_events: [
    ['site_id', S], ['event_id', S], ['type', S], ['anonymous_id', S], ['event_json', S], ['device_ts', S], ['sent_at', S], ['received_at', S],
    ['ip_anonymized', S], ['user_agent', S], ['collector_id', S], ['origin', S],
  ],
  events: [
    ['site_id', S], ['event_id', S], ['type', S], ['ts', S], ['device_ts', S], ['received_at', S], ['clock_skew_ms', 0], ['ts_in_future', false], ['ts_adjusted', S],
    ['anonymous_id', S], ['session_id', S], ['customer_id', S], ['visit_number', 0], ['url', S], ['host', S], ['path', S], ['title', S],
    ['referrer', S], ['referrer_host', S], ['medium', S], ['source', S], ['search_term', S], ['channel', S],
    ['utm_source', S], ['utm_medium', S], ['utm_campaign', S], ['utm_term', S], ['utm_content', S], ['click_id_type', S], ['click_id', S],
    ['country', S], ['region', S], ['city', S], ['latitude', null], ['longitude', null], ['timezone', S], ['ip_anonymized', S],
    ['browser', S], ['browser_version', S], ['os', S], ['os_version', S], ['device_type', S], ['is_bot', false],
    ['product_id', S], ['product_name', S], ['category', S], ['brand', S], ['price', 0], ['quantity', 0], ['cart_id', S],
    ['order_id', S], ['revenue', 0], ['currency', S], ['search_query', S], ['campaign_id', S], ['machine_open', false], ['custom_name', S],
    ['visible_ms', 0], ['max_scroll', 0], ['props', S],
  ],
  orders: [
    ['site_id', S], ['order_id', S], ['event_id', S], ['ts', S], ['anonymous_id', S], ['session_id', S], ['customer_id', S],
    ['revenue', 0], ['tax', 0], ['shipping', 0], ['currency', S], ['coupon', S], ['items_count', 0], ['channel', S],
  ],
  order_items: [
    ['site_id', S], ['order_id', S], ['line', 0], ['ts', S], ['customer_id', S], ['anonymous_id', S], ['product_id', S], ['product_name', S],
    ['category', S], ['brand', S], ['price', 0], ['quantity', 0],
  ],
  identities: [['site_id', S], ['anonymous_id', S], ['customer_id', S], ['first_seen', S], ['last_seen', S], ['sources', []]],
};

export const COLUMN_NAMES = Object.fromEntries(Object.entries(TABLE_COLUMNS).map(([table, columns]) => [table, columns.map(([name]) => name)])) as Record<TableName, string[]>;

/** Column name → position in a row of that table. */
export function columnIndex(table: TableName): Record<string, number> {
  return Object.fromEntries(COLUMN_NAMES[table].map((name, i) => [name, i]));
}

/** A fresh row of `table` with every column at its default: callers then set what they know by position. */
export function defaultRow(table: TableName): unknown[] {
  return TABLE_COLUMNS[table].map(([, fallback]) => (Array.isArray(fallback) ? [] : fallback));
}

/** A positional row back as { column: value } (tests, diagnostics). */
export function rowObject(table: TableName, row: readonly unknown[]): Record<string, unknown> {
  return Object.fromEntries(COLUMN_NAMES[table].map((name, i) => [name, row[i]]));
}
