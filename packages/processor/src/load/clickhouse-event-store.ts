import type { ClickHouseClient } from '@clickhouse/client';
import { clickhouseLane, embeddedInsert, repairProjectionsSql, settleVisits } from '@spoor/infra';
import { siteKey, type KeyedRow, type TableName } from './build-rows.js';
import type { EventStore } from './event-store.js';
import { COLUMN_NAMES } from './table-columns.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const TOKEN = /^[a-z_]+:[0-9a-f]{64}$/;

/** Existence checks per table: which column holds the key and its ClickHouse type (allowlisted, never from input). */
const KEY_LOOKUP: Partial<Record<TableName, { column: string; type: string }>> = {
  raw_events: { column: 'event_id', type: 'UUID' },
  events: { column: 'event_id', type: 'UUID' },
  orders: { column: 'order_id', type: 'String' },
  order_items: { column: 'order_id', type: 'String' },
};

const COLUMN_LISTS = Object.fromEntries(Object.entries(COLUMN_NAMES).map(([table, names]) => [table, names.join(', ')])) as Record<TableName, string>;

/**
 * optimize_on_insert = 0: rows are already unique per key (we deduplicate), so ClickHouse need not collapse the
 * block; input_format_parallel_parsing = 0: a batch is a few MB, where parser threads cost more than they save.
 * Both measured ~30% faster per insert into events on embedded chDB.
 */
const INSERT_SETTINGS = { insert_deduplicate: 1, optimize_on_insert: 0, input_format_parallel_parsing: 0, date_time_input_format: 'best_effort' } as const;

/** JSONCompactEachRow body: one JSON array per line, built in one pass (JSON.stringify is native and the cheapest encoder here). */
function encodeRows(rows: ReadonlyArray<readonly unknown[]>): Buffer {
  let body = '';
  for (const row of rows) body += `${JSON.stringify(row)}\n`;
  return Buffer.from(body);
}

export interface ClickHouseEventStoreOptions {
  /** false: insert through @clickhouse/client even on embedded chDB (the benchmark's A/B; tests of the server path). */
  rawInsert?: boolean;
  /** The ClickHouse cluster (CLICKHOUSE_CLUSTER): settling visits runs its mutations ON CLUSTER. */
  cluster?: string | undefined;
}

export function createClickHouseEventStore(shared: ClickHouseClient, database: string, options: ClickHouseEventStoreOptions = {}): EventStore {
  if (!IDENTIFIER.test(database)) throw new Error(`invalid ClickHouse database name: ${JSON.stringify(database)}`);
  // Embedded chDB runs one statement at a time: the loader's go ahead of analyst queries (infra store-scheduler.ts).
  const client = clickhouseLane(shared, 'load');
  const rawInsert = options.rawInsert === false ? undefined : embeddedInsert(client);
  const repairStatements = repairProjectionsSql(database);
  return {
    async existingKeys(table, rows) {
      const lookup = KEY_LOOKUP[table];
      if (!lookup || !rows.length) return new Set();
      const keys = [...new Set(rows.map((r) => r.key))];
      const sites = [...new Set(rows.map((r) => r.siteId))];
      // The filter is a cross product (any listed site with any listed key) so it uses the sort key; the answer is
      // pairs, so a key stored for another site never hides this site's row (the same event id on two sites is two events).
      const result = await client.query({
        query: `SELECT DISTINCT site_id AS s, toString(${lookup.column}) AS k FROM ${database}.${table}
                WHERE site_id IN {sites:Array(String)} AND ${lookup.column} IN {keys:Array(${lookup.type})}`,
        query_params: { sites, keys },
        format: 'JSONEachRow',
      });
      return new Set((await result.json<{ s: string; k: string }>()).map((r) => siteKey({ siteId: r.s, key: r.k })));
    },

    async ping() {
      try {
        const answer = await client.ping();
        return answer.success;
      } catch {
        return false;
      }
    },

    async retractOrders(refused) {
      for (const { siteId, eventId, orderId } of refused) {
        const query_params = { site: siteId, order: orderId, event: eventId };
        const owners = await client.query({
          query: `SELECT toString(event_id) AS e FROM ${database}.orders WHERE site_id = {site:String} AND order_id = {order:String}`,
          query_params,
          format: 'JSONEachRow',
        });
        const events = (await owners.json<{ e: string }>()).map((r) => r.e);
        // The order belongs to another event (a thank-you page reloaded earlier): its items are that event's too.
        if (events.some((e) => e !== eventId.toLowerCase())) continue;
        // Items first: were this to stop half-way, the order row still says whose items they were, and a retry finds them.
        // No order row at all (orders refused it, its items were accepted beside it): the items are this event's.
        await client.command({ query: `DELETE FROM ${database}.order_items WHERE site_id = {site:String} AND order_id = {order:String}`, query_params });
        if (events.length) await client.command({ query: `DELETE FROM ${database}.orders WHERE site_id = {site:String} AND order_id = {order:String} AND event_id = {event:UUID}`, query_params });
      }
    },

    async readErasureRegister(known) {
      // count and newest entry: any erasure changes one of them (a merge collapsing a repeated erasure lowers the count).
      const [head] = await (
        await client.query({ query: `SELECT count() AS n, toString(max(erased_at)) AS last FROM ${database}.erasure_register`, format: 'JSONEachRow' })
      ).json<{ n: number; last: string }>();
      const version = `${head?.n ?? 0}@${head?.last ?? ''}`;
      if (version === known) return { version, entries: null };
      const rows = await (
        await client.query({ query: `SELECT DISTINCT site_id, toString(kind) AS kind, id_sha256 FROM ${database}.erasure_register`, format: 'JSONEachRow' })
      ).json<{ site_id: string; kind: 'customer' | 'anonymous'; id_sha256: string }>();
      return { version, entries: rows.map((r) => ({ siteId: r.site_id, kind: r.kind, idSha256: r.id_sha256 })) };
    },

    async repairProjections(rows: KeyedRow[]) {
      if (!rows.length) return;
      const query_params = { sites: [...new Set(rows.map((r) => r.siteId))], keys: [...new Set(rows.map((r) => r.key))] };
      // The views' own SELECTs (infra projections.ts) narrowed to these events: aggregates and pairs fold repeats,
      // row copies (events_by_visitor) are fed only what they lack.
      for (const query of repairStatements) await client.command({ query, query_params });
    },

    settleVisits: () => settleVisits(client, { database, cluster: options.cluster }),

    async markUnsettledVisits(visits) {
      if (!visits.length) return;
      // marked_at is the server's clock (its DEFAULT): settling compares it with the server's clock too. Never
      // deduplicated: a visit marked again after a settle must stay marked.
      await client.insert({
        table: `${database}.unsettled_visits (site_id, session_id)`,
        values: visits.map((v) => [v.siteId, v.sessionId]),
        format: 'JSONCompactEachRow',
        clickhouse_settings: { insert_deduplicate: 0 },
      });
    },

    async insert(table, rows, dedupToken) {
      if (!rows.length) return;
      if (!TOKEN.test(dedupToken)) throw new Error(`invalid dedup token ${JSON.stringify(dedupToken)}`);
      if (rawInsert) {
        // Embedded chDB: hand it the encoded bytes. Settings are per insert here (never a session SET, where a
        // token left behind would silently deduplicate somebody else's next insert).
        await rawInsert({
          table: `${database}.${table}`,
          columns: COLUMN_NAMES[table],
          format: 'JSONCompactEachRow',
          values: encodeRows(rows),
          settings: { ...INSERT_SETTINGS, insert_deduplication_token: dedupToken },
        });
        return;
      }
      // A ClickHouse server: SETTINGS inside the statement for the same reason. Column names come from
      // TABLE_COLUMNS (an allowlist), the token matched TOKEN above.
      await client.insert({
        table: `${database}.${table} (${COLUMN_LISTS[table]}) SETTINGS insert_deduplicate = 1, insert_deduplication_token = '${dedupToken}', optimize_on_insert = 0, input_format_parallel_parsing = 0, date_time_input_format = 'best_effort'`,
        values: rows as unknown[][],
        format: 'JSONCompactEachRow',
      });
    },
  };
}
