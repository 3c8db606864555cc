import { randomUUID } from 'node:crypto';
import type { StoreWriter } from '../../clickhouse/store-writer.js';
import { sha256Hex } from '../audiences/contact-hashing.js';
import type { ErasureHook, ErasureSubject } from '../../erasure/erasure-hook.js';
import { toClickHouseTime } from '../../params/date-range.js';

/**
 * Which rows are the customer's, per table. `{anon}` = every anonymous id ever linked to the customer or carrying
 * their id. On a device shared with someone else only rows without a customer id or with this one are taken;
 * a row naming another customer stays theirs. Table names are constants here, never input.
 *
 * The conditions compare SHA-256 hashes, never the ids: ClickHouse keeps the text of every mutation on disk
 * (`mutation_N.txt` beside the parts; in Keeper on a cluster) long after it ran, so a DELETE written with the id in
 * clear would leave exactly what it erased in the data directory. A hash costs a SHA-256 per row scanned, which a
 * mutation reads anyway.
 */
const hashed = (column: string) => `lower(hex(SHA256(${column})))`;
const OWNED = `(${hashed('customer_id')} = {customerHash:String} OR (${hashed('anonymous_id')} IN {anonHashes:Array(String)} AND customer_id = ''))`;
const RAW_OWNED = `(${hashed("JSONExtractString(event_json, 'customerId')")} = {customerHash:String}
  OR ${hashed("JSONExtractString(event_json, 'props', 'customerId')")} = {customerHash:String}
  OR (${hashed('anonymous_id')} IN {anonHashes:Array(String)} AND JSONExtractString(event_json, 'customerId') = '' AND JSONExtractString(event_json, 'props', 'customerId') = ''))`;

/** In deletion order: the projections first, the identity graph (which defines `anon`) last. */
export const ERASURE_TABLES = [
  { table: 'sessions', where: `${hashed('session_id')} IN {sessionHashes:Array(String)}` },
  { table: 'unsettled_visits', where: `${hashed('session_id')} IN {sessionHashes:Array(String)}` },
  { table: 'events_by_visitor', where: OWNED },
  { table: 'session_days', where: OWNED },
  { table: 'customer_browsers', where: OWNED },
  { table: 'raw_events', where: RAW_OWNED },
  { table: 'events', where: OWNED },
  { table: 'order_items', where: OWNED },
  { table: 'orders', where: OWNED },
  { table: 'identities', where: OWNED },
] as const;

const SUBJECT_SQL = `
SELECT groupUniqArray(anonymous_id) AS anon FROM (
  SELECT anonymous_id FROM {db:Identifier}.identities WHERE site_id = {site:String} AND customer_id = {customer:String}
  UNION ALL
  SELECT anonymous_id FROM {db:Identifier}.events WHERE site_id = {site:String} AND customer_id = {customer:String}
  UNION ALL
  SELECT anonymous_id FROM {db:Identifier}.orders WHERE site_id = {site:String} AND customer_id = {customer:String}
)`;

const SESSIONS_SQL = `SELECT groupUniqArray(session_id) AS sessions FROM {db:Identifier}.events WHERE site_id = {site:String}
  AND (customer_id = {customer:String} OR (anonymous_id IN {anon:Array(String)} AND customer_id = ''))`;

export interface ErasureResult {
  erasure_id: string;
  customer_id: string;
  anonymous_ids: number;
  deleted: Record<string, number>;
  hooks: Record<string, string>;
  requested_at: string;
  completed_at: string;
}

/**
 * Erases a customer, in an order that never lets them come back:
 *  1. the erasure register (migration 0300) gets the SHA-256 of the customer id and of each anonymous id, so from
 *     now on the processor and replay (archive and log, either adapter) drop their events;
 *  2. ALTER TABLE … DELETE with mutations_sync = 2 on every table (the raw archive included), so the statement
 *     returns only once every replica rewrote its parts without the rows (a lightweight DELETE would leave the
 *     bytes until a merge); ClickHouse removes the replaced parts after `old_parts_lifetime` (8 min by default);
 *  3. a second sweep of the same deletions: a batch the processor checked against the register just before step 1
 *     and loaded after step 2 would otherwise leave rows behind;
 *  4. the erasure hooks (the file log's compaction, caches outside ClickHouse);
 *  5. the audit entry, naming the customer only by hash.
 */
export async function eraseCustomer(
  deps: { writer: StoreWriter; hooks: ErasureHook[]; now: () => Date },
  q: { site: string; customer: string; requestedBy: string },
): Promise<ErasureResult> {
  const requestedAt = deps.now();
  const base = { site: q.site, customer: q.customer };
  const [subject] = await deps.writer.rows<{ anon: string[] }>(SUBJECT_SQL, base);
  const anon = (subject?.anon ?? []).sort();
  const [sessionRow] = await deps.writer.rows<{ sessions: string[] }>(SESSIONS_SQL, { ...base, anon });
  const params = {
    site: q.site,
    customerHash: sha256Hex(q.customer),
    anonHashes: anon.map(sha256Hex),
    sessionHashes: (sessionRow?.sessions ?? []).map(sha256Hex),
  };

  await deps.writer.insert('erasure_register', [
    { site_id: q.site, kind: 'customer', id_sha256: params.customerHash, erased_at: toClickHouseTime(requestedAt) },
    ...params.anonHashes.map((h) => ({ site_id: q.site, kind: 'anonymous', id_sha256: h, erased_at: toClickHouseTime(requestedAt) })),
  ]);

  const deleted: Record<string, number> = {};
  for (let sweep = 0; sweep < 2; sweep++) {
    for (const { table, where } of ERASURE_TABLES) {
      const [row] = await deps.writer.rows<{ n: number }>(`SELECT count() AS n FROM {db:Identifier}.{table:Identifier} WHERE site_id = {site:String} AND ${where}`, { ...params, table });
      const n = row?.n ?? 0;
      deleted[table] = (deleted[table] ?? 0) + n;
      if (n > 0) {
        await deps.writer.command(`ALTER TABLE {db:Identifier}.{table:Identifier} DELETE WHERE site_id = {site:String} AND ${where}`, { ...params, table }, { mutations_sync: 2 });
      }
    }
  }

  const erasureSubject: ErasureSubject = { site: q.site, customerId: q.customer, anonymousIds: anon };
  const hooks: Record<string, string> = {};
  for (const hook of deps.hooks) {
    try {
      hooks[hook.name] = `ok: ${await hook.run(erasureSubject)}`;
    } catch (err) {
      hooks[hook.name] = `failed: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  const completedAt = deps.now();
  const result: ErasureResult = {
    erasure_id: randomUUID(),
    customer_id: q.customer,
    anonymous_ids: anon.length,
    deleted,
    hooks,
    requested_at: requestedAt.toISOString(),
    completed_at: completedAt.toISOString(),
  };
  await deps.writer.insert('erasure_log', [
    {
      erasure_id: result.erasure_id,
      site_id: q.site,
      customer_sha256: params.customerHash,
      requested_by: q.requestedBy,
      requested_at: toClickHouseTime(requestedAt),
      completed_at: toClickHouseTime(completedAt),
      anonymous_ids: anon.length,
      row_counts: deleted,
      hooks,
    },
  ]);
  return result;
}
