import { createHash } from 'node:crypto';
import { siteKey, type BatchRows, type KeyedRow, type TableName } from './build-rows.js';
import type { EventStore, UnsettledVisit } from './event-store.js';
import { StoreWriteError, type StoreStep } from './store-error.js';
import { columnIndex } from './table-columns.js';

export interface LoadReport {
  inserted: Record<TableName, number>;
  /** Rows skipped because their table already held the key (an earlier, uncommitted attempt wrote them). */
  alreadyStored: Record<TableName, number>;
}

/** Same rows → same token, whichever process or attempt sends them; ClickHouse drops a repeated block. */
export function dedupToken(table: TableName, rows: KeyedRow[]): string {
  const hash = createHash('sha256');
  const parts =
    table === 'identities' ? rows.map((r) => JSON.stringify(r.row)) : rows.map((r) => (r.eventId ? `${r.siteId}\u0000${r.key}\u0000${r.eventId}` : `${r.siteId}\u0000${r.key}`));
  for (const part of parts.sort()) hash.update(part).update('\n');
  return `${table}:${hash.digest('hex')}`;
}

/**
 * Writes one batch to every table. Before inserting it asks ClickHouse which (site, key) pairs a table already holds
 * and inserts only the rest, so a batch redelivered after a crash between two inserts (or after a commit that never
 * happened) completes the missing tables without duplicating the others. Throws (a StoreWriteError naming the table)
 * when ClickHouse fails, but only after every insert it started has settled; the caller retries the whole call, which
 * re-checks.
 *
 * raw_events, orders, order_items and identities go first, side by side; `events` — the one table with materialized
 * views (sessions and the lookups), whose rows cannot be taken back — is written only after all of them acknowledged.
 * So a row ClickHouse refuses in any other table never reaches `events` (resilient-load.ts dead-letters it), and an
 * event id raw_events does not hold cannot be in `events` either: ids this call writes to raw_events skip the `events`
 * check, and only the others — found in raw_events (a redelivery, a replay, an SDK retry: rare), or without a
 * raw_events row in this batch (the archive replay) — are checked against `events`. raw_events is ordered by
 * (site_id, event_id), so its check is a primary-key lookup; the events check (a bloom-filter scan) is what this
 * saves, on every batch. Orders and their items are keyed by order id (a reloaded thank-you page sends the same order
 * under a new event id), so they are always checked; they are few. Identities need no check: their columns are
 * min/max/union aggregates, so a repeated link changes nothing. docs/processor.md has the whole argument.
 */
export async function loadBatch(store: EventStore, rows: BatchRows): Promise<LoadReport> {
  const inserted = { events: 0, orders: 0, order_items: 0, identities: 0, raw_events: 0 };
  const alreadyStored = { events: 0, orders: 0, order_items: 0, identities: 0, raw_events: 0 };
  const step = async <T>(table: TableName, kind: StoreStep, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (err) {
      throw new StoreWriteError(table, kind, err);
    }
  };
  const write = async (table: TableName, candidates: KeyedRow[], existing: Set<string>) => {
    if (!candidates.length) return;
    const fresh = existing.size ? candidates.filter((r) => !existing.has(siteKey(r))) : candidates;
    alreadyStored[table] = candidates.length - fresh.length;
    if (!fresh.length) return;
    await step(table, 'insert', () =>
      store.insert(
        table,
        fresh.map((r) => r.row),
        dedupToken(table, fresh),
      ),
    );
    inserted[table] = fresh.length;
  };
  const checked = async (table: TableName) => {
    const candidates = rows[table];
    if (candidates.length) await write(table, candidates, table === 'identities' ? new Set() : await step(table, 'check', () => store.existingKeys(table, candidates)));
  };
  let inRaw = new Set<string>();
  // Every branch settles before anything is thrown: an insert still running after the caller gave up could land after
  // the caller's next existence check (a duplicate) or after a refused row was taken back.
  await allSettledOrThrow([
    (async () => {
      if (rows.raw_events.length) inRaw = await step('raw_events', 'check', () => store.existingKeys('raw_events', rows.raw_events));
      await write('raw_events', rows.raw_events, inRaw);
    })(),
    checked('orders'),
    checked('order_items'),
    checked('identities'),
  ]);
  const candidates = rows.events;
  if (candidates.length) {
    // Proven new: ids this batch just wrote to raw_events. Anything else (found there, or not in this batch's
    // raw_events rows at all — the archive replay loads derived tables only) is checked against events.
    const writtenToRaw = new Set<string>();
    for (const r of rows.raw_events) if (!inRaw.has(siteKey(r))) writtenToRaw.add(siteKey(r));
    const maybeStored = candidates.filter((r) => !writtenToRaw.has(siteKey(r)));
    const existing = maybeStored.length ? await step('events', 'check', () => store.existingKeys('events', maybeStored)) : new Set<string>();
    // Rows an earlier attempt stored may have missed the sessions view (not atomic with its table): feed it again.
    if (existing.size) await step('events', 'repair', () => store.repairProjections(candidates.filter((r) => existing.has(siteKey(r)))));
    await write('events', candidates, existing);
    // After the events (and the sessions rows their views wrote): a settle that sees a mark sees its events. Every
    // candidate's visit, stored now or by an earlier attempt that may have died before marking.
    const visits = visitsOf(candidates);
    if (visits.length) await step('events', 'mark', () => store.markUnsettledVisits(visits));
  }
  return { inserted, alreadyStored };
}

const SESSION_ID = columnIndex('events').session_id!;

/** The distinct visits (site, session) of event rows; events without a session (email, server) belong to none. */
export function visitsOf(rows: KeyedRow[]): UnsettledVisit[] {
  const seen = new Map<string, UnsettledVisit>();
  for (const r of rows) {
    const value = r.row[SESSION_ID];
    const sessionId = typeof value === 'string' ? value : '';
    if (sessionId) seen.set(siteKey({ siteId: r.siteId, key: sessionId }), { siteId: r.siteId, sessionId });
  }
  return [...seen.values()];
}

async function allSettledOrThrow(work: Array<Promise<unknown>>): Promise<void> {
  const results = await Promise.allSettled(work);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
