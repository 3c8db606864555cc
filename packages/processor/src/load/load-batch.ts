import { createHash } from 'node:crypto';
import { TABLES, type BatchRows, type KeyedRow, type TableName } from './build-rows.js';
import type { EventStore } from './event-store.js';

export interface LoadReport {
  inserted: Record<TableName, number>;
  /** Rows skipped because their table already held the key (an earlier, uncommitted attempt wrote them). */
  alreadyStored: Record<TableName, number>;
}

/** Same rows → same token, whichever process or attempt sends them; ClickHouse drops a repeated block. */
export function dedupToken(table: TableName, rows: KeyedRow[]): string {
  const hash = createHash('sha256');
  const parts = table === 'identities' ? rows.map((r) => JSON.stringify(r.row)) : rows.map((r) => `${r.siteId}\u0000${r.key}`);
  for (const part of parts.sort()) hash.update(part).update('\n');
  return `${table}:${hash.digest('hex')}`;
}

/**
 * Writes one batch to every table. Before each insert it asks ClickHouse which keys that table already holds and
 * inserts only the rest, so a batch redelivered after a crash between two inserts (or after a commit that never
 * happened) completes the missing tables without duplicating the others. Identities need no check: their
 * columns are min/max/union aggregates, so a repeated link changes nothing. Throws when ClickHouse fails; the
 * caller retries the whole call, which re-checks.
 */
export async function loadBatch(store: EventStore, rows: BatchRows): Promise<LoadReport> {
  const inserted = { events: 0, orders: 0, order_items: 0, identities: 0, raw_events: 0 };
  const alreadyStored = { events: 0, orders: 0, order_items: 0, identities: 0, raw_events: 0 };
  // Tables are independent (each checks its own keys), so their checks and inserts run side by side: ClickHouse
  // (and embedded chDB) parses and writes them on separate cores.
  await Promise.all(
    TABLES.map(async (table) => {
      const candidates = rows[table];
      if (!candidates.length) return;
      const existing = table === 'identities' ? new Set<string>() : await store.existingKeys(table, candidates);
      const fresh = existing.size ? candidates.filter((r) => !existing.has(r.key)) : candidates;
      alreadyStored[table] = candidates.length - fresh.length;
      // Rows an earlier attempt stored may have missed the sessions view (not atomic with its table): feed it again.
      if (table === 'events' && existing.size) await store.repairProjections(candidates.filter((r) => existing.has(r.key)));
      if (!fresh.length) return;
      await store.insert(
        table,
        fresh.map((r) => r.row),
        dedupToken(table, fresh),
      );
      inserted[table] = fresh.length;
    }),
  );
  return { inserted, alreadyStored };
}
