import { siteKey, type KeyedRow, type TableName } from '../load/build-rows.js';
import type { EventStore } from '../load/event-store.js';
import { rowObject } from '../load/table-columns.js';

/** An error shaped like the one chDB's raw insert throws for a value ClickHouse cannot parse (a lone surrogate). */
export function refusedRowError(table: TableName): Error {
  return Object.assign(new Error(`Code: 25. DB::Exception: Cannot parse escape sequence: missing second part of surrogate pair (while reading the value of key title) in ${table} (injected). (CANNOT_PARSE_ESCAPE_SEQUENCE)`), { code: 'CHDB_INSERT' });
}

/**
 * An in-memory EventStore for unit tests of the loader and the batch handler: it keeps rows per table (keyed by site
 * and key, like ClickHouse's sort keys), honours dedup tokens like ClickHouse, can be told to fail the next N calls as a
 * store that cannot be reached, and to refuse rows (the whole insert, as ClickHouse does) with a data error.
 */
export function createMemoryEventStore() {
  const tables = new Map<TableName, Array<Record<string, unknown>>>();
  const keys = new Map<TableName, Set<string>>();
  const tokens = new Set<string>();
  let failures = 0;
  let failure: () => Error = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123 (injected)'), { code: 'ECONNREFUSED' });
  let refuse: ((table: TableName, row: Record<string, unknown>) => boolean) | null = null;
  const keyOf: Record<TableName, (row: Record<string, unknown>) => string> = {
    events: (r) => siteKey({ siteId: String(r.site_id), key: String(r.event_id).toLowerCase() }),
    raw_events: (r) => siteKey({ siteId: String(r.site_id), key: String(r.event_id).toLowerCase() }),
    orders: (r) => siteKey({ siteId: String(r.site_id), key: String(r.order_id) }),
    order_items: (r) => siteKey({ siteId: String(r.site_id), key: String(r.order_id) }),
    identities: (r) => siteKey({ siteId: String(r.site_id), key: `${String(r.site_id)}\u0000${String(r.anonymous_id)}\u0000${String(r.customer_id)}` }),
  };
  const maybeFail = () => {
    if (failures > 0) {
      failures--;
      throw failure();
    }
  };
  const store: EventStore & {
    rows(table: TableName): Array<Record<string, unknown>>;
    failNext(n: number, error?: () => Error): void;
    refuseRows(predicate: ((table: TableName, row: Record<string, unknown>) => boolean) | null): void;
    insertCalls: number;
    repaired: number;
    unsettledVisits: Set<string>;
    retracted: Array<{ siteId: string; eventId: string; orderId: string }>;
  } = {
    insertCalls: 0,
    async existingKeys(table: TableName, rows: KeyedRow[]) {
      maybeFail();
      const have = keys.get(table) ?? new Set();
      return new Set(rows.map(siteKey).filter((k) => have.has(k)));
    },
    async insert(table: TableName, positional: ReadonlyArray<readonly unknown[]>, token: string) {
      store.insertCalls++;
      maybeFail();
      const rows = positional.map((r) => rowObject(table, r));
      // ClickHouse parses the whole block before writing any of it: one refused row refuses the insert.
      if (refuse && rows.some((row) => refuse!(table, row))) throw refusedRowError(table);
      if (tokens.has(token)) return;
      tokens.add(token);
      const list = tables.get(table) ?? [];
      const set = keys.get(table) ?? new Set();
      for (const row of rows) {
        list.push(row);
        set.add(keyOf[table](row));
      }
      tables.set(table, list);
      keys.set(table, set);
    },
    unsettledVisits: new Set(),
    async markUnsettledVisits(visits) {
      maybeFail();
      for (const v of visits) store.unsettledVisits.add(siteKey({ siteId: v.siteId, key: v.sessionId }));
    },
    async repairProjections(rows: KeyedRow[]) {
      maybeFail();
      store.repaired += rows.length;
    },
    async ping() {
      if (failures > 0) {
        failures--;
        return false;
      }
      return true;
    },
    async retractOrders(refused) {
      maybeFail();
      for (const r of refused) {
        const owners = (tables.get('orders') ?? []).filter((o) => o.site_id === r.siteId && o.order_id === r.orderId).map((o) => String(o.event_id).toLowerCase());
        if (owners.some((e) => e !== r.eventId.toLowerCase())) continue;
        store.retracted.push(r);
        for (const table of ['orders', 'order_items'] as const) {
          tables.set(table, (tables.get(table) ?? []).filter((o) => !(o.site_id === r.siteId && o.order_id === r.orderId)));
          keys.get(table)?.delete(siteKey({ siteId: r.siteId, key: r.orderId }));
        }
      }
    },
    repaired: 0,
    retracted: [],
    rows: (table: TableName) => tables.get(table) ?? [],
    failNext(n: number, error?: () => Error) {
      failures = n;
      if (error) failure = error;
    },
    refuseRows(predicate) {
      refuse = predicate;
    },
  };
  return store;
}
