import { randomUUID } from 'node:crypto';
import type { StoreWriter } from '../clickhouse/store-writer.js';
import { sha256Hex } from '../audiences/contact-hashing.js';
import type { ErasureHook, ErasureSubject } from '../erasure/erasure-hook.js';
import { toClickHouseTime } from '../params/date-range.js';

/**
 * Which rows are the customer's, per table. `{anon}` = every anonymous id ever linked to the customer or carrying
 * their id. On a device shared with someone else only rows without a customer id or with this one are taken;
 * a row naming another customer stays theirs. Table names are constants here, never input.
 */
const OWNED = "(customer_id = {customer:String} OR (anonymous_id IN {anon:Array(String)} AND customer_id = ''))";
const RAW_OWNED = `(JSONExtractString(event_json, 'customerId') = {customer:String}
  OR JSONExtractString(event_json, 'props', 'customerId') = {customer:String}
  OR (anonymous_id IN {anon:Array(String)} AND JSONExtractString(event_json, 'customerId') = '' AND JSONExtractString(event_json, 'props', 'customerId') = ''))`;

/** In deletion order: the projections first, the identity graph (which defines `anon`) last. */
export const ERASURE_TABLES = [
  { table: 'sessions', where: 'session_id IN {sessions:Array(String)}' },
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

const SESSIONS_SQL = `SELECT groupUniqArray(session_id) AS sessions FROM {db:Identifier}.events WHERE site_id = {site:String} AND ${OWNED}`;

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
 * Erases a customer: ALTER TABLE … DELETE with mutations_sync = 2 on every table, so the statement returns only
 * once every replica has rewritten its parts without the rows — gone from disk, not just masked (a lightweight
 * DELETE would leave the bytes until a merge). Then the erasure hooks run (caches outside ClickHouse), then the
 * audit entry is written.
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
  const params = { ...base, anon, sessions: sessionRow?.sessions ?? [] };

  const deleted: Record<string, number> = {};
  for (const { table, where } of ERASURE_TABLES) {
    const [row] = await deps.writer.rows<{ n: number }>(`SELECT count() AS n FROM {db:Identifier}.{table:Identifier} WHERE site_id = {site:String} AND ${where}`, { ...params, table });
    deleted[table] = row?.n ?? 0;
    if (deleted[table] > 0) {
      await deps.writer.command(`ALTER TABLE {db:Identifier}.{table:Identifier} DELETE WHERE site_id = {site:String} AND ${where}`, { ...params, table }, { mutations_sync: 2 });
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
      customer_sha256: sha256Hex(q.customer),
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
