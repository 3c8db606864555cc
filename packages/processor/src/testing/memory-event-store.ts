import type { KeyedRow, TableName } from '../load/build-rows.js';
import type { EventStore } from '../load/event-store.js';
import { rowObject } from '../load/table-columns.js';

/**
 * An in-memory EventStore for unit tests of the loader and the batch handler: it keeps rows per table, honours
 * dedup tokens like ClickHouse, and can be told to fail the next N calls.
 */
export function createMemoryEventStore() {
  const tables = new Map<TableName, Array<Record<string, unknown>>>();
  const keys = new Map<TableName, Set<string>>();
  const tokens = new Set<string>();
  let failures = 0;
  const keyOf: Record<TableName, (row: Record<string, unknown>) => string> = {
    events: (r) => String(r.event_id),
    raw_events: (r) => String(r.event_id),
    orders: (r) => String(r.order_id),
    order_items: (r) => String(r.order_id),
    identities: (r) => `${String(r.site_id)}\u0000${String(r.anonymous_id)}\u0000${String(r.customer_id)}`,
  };
  const maybeFail = () => {
    if (failures > 0) {
      failures--;
      throw new Error('store unavailable (injected)');
    }
  };
  const store: EventStore & { rows(table: TableName): Array<Record<string, unknown>>; failNext(n: number): void; insertCalls: number; repaired: number } = {
    insertCalls: 0,
    async existingKeys(table: TableName, rows: KeyedRow[]) {
      maybeFail();
      const have = keys.get(table) ?? new Set();
      return new Set(rows.map((r) => r.key).filter((k) => have.has(k)));
    },
    async insert(table: TableName, positional: ReadonlyArray<readonly unknown[]>, token: string) {
      store.insertCalls++;
      maybeFail();
      if (tokens.has(token)) return;
      tokens.add(token);
      const rows = positional.map((r) => rowObject(table, r));
      const list = tables.get(table) ?? [];
      const set = keys.get(table) ?? new Set();
      for (const row of rows) {
        list.push(row);
        set.add(keyOf[table](row));
      }
      tables.set(table, list);
      keys.set(table, set);
    },
    async repairProjections(rows: KeyedRow[]) {
      maybeFail();
      store.repaired += rows.length;
    },
    repaired: 0,
    rows: (table: TableName) => tables.get(table) ?? [],
    failNext(n: number) {
      failures = n;
    },
  };
  return store;
}
