import type { ErasureRegisterSource } from '../erasure/erasure-register.js';
import type { KeyedRow, TableName } from './build-rows.js';

export interface UnsettledVisit {
  siteId: string;
  sessionId: string;
}

/**
 * The processor's view of ClickHouse: "which of these keys does this table already hold?" and "insert these
 * rows, deduplicated by this token". clickhouse-event-store.ts is the adapter; drills wrap it to inject faults.
 */
export interface EventStore {
  /** The `siteKey()`s (site and key, load-batch.ts) of `rows` that `table` already holds: keys never match across sites. */
  existingKeys(table: TableName, rows: KeyedRow[]): Promise<Set<string>>;
  /** Rows are positional, in TABLE_COLUMNS[table] order. */
  insert(table: TableName, rows: ReadonlyArray<readonly unknown[]>, dedupToken: string): Promise<void>;
  /**
   * Re-feeds the materialized views (infra projections.ts: sessions, session_days, customer_browsers,
   * events_by_visitor) for events already stored. ClickHouse does not write a table and its materialized views
   * atomically: a crash between the two leaves events rows whose view rows never arrived, and the redelivered batch
   * skips those rows. Aggregates and pairs fold repeats and row copies get only what they lack, so it is always safe.
   */
  repairProjections(rows: KeyedRow[]): Promise<void>;
  /**
   * Marks visits whose events this batch stored (or found stored) as unsettled (migration 0430): their events'
   * visit_* columns may not hold the visit's attribution yet, until infra settleVisits() copies it there. Called only
   * after the events and their sessions rows are stored, so a settle that sees the mark sees the events.
   */
  markUnsettledVisits(visits: ReadonlyArray<UnsettledVisit>): Promise<void>;
  /** Does the store answer at all right now? Tells a store that is down from one that refuses particular rows. */
  ping(): Promise<boolean>;
  /**
   * Takes back the order and order-item rows a refused event wrote before another table refused it (load-batch.ts
   * writes orders and items beside raw_events, before `events`): never an order whose row names another event (a
   * reloaded thank-you page stored earlier), and its items stay with it.
   */
  retractOrders(refused: ReadonlyArray<{ siteId: string; eventId: string; orderId: string }>): Promise<void>;
  /**
   * The erasure register (whose events must never be stored again). The ClickHouse store has it; a store without it
   * (in-memory test stores) stores everything.
   */
  readErasureRegister?: ErasureRegisterSource['readErasureRegister'];
  /**
   * Copies the attribution of the visits marked unsettled into their events' columns (infra settleVisits). The
   * ClickHouse store has it; the processor runs it on a timer (PROCESSOR_SETTLE_VISITS_SECONDS), replay at its end.
   */
  settleVisits?: () => Promise<{ visits: number }>;
}
