import type { ClickHouseClient } from '@clickhouse/client';
import { encodeRawEvent, RawEventOrigin, type RawEvent } from '@spoor/events';
import type { Enricher } from '../enrich/enrich-event.js';
import { createErasureRegisterReader, dropIfErased } from '../erasure/erasure-register.js';
import { buildRows } from '../load/build-rows.js';
import type { EventStore } from '../load/event-store.js';
import { loadBatch } from '../load/load-batch.js';
import { classifyStoreError } from '../load/store-error.js';
import { decodeMessage } from '../pipeline/decode-message.js';
import { loadResiliently } from '../pipeline/resilient-load.js';

export interface ReplayOptions {
  client: ClickHouseClient;
  database: string;
  store: EventStore;
  enrich: Enricher;
  /** Empty the derived tables first, so new enrichment (a new geo database) replaces the old rows. */
  truncate?: boolean;
  pageSize?: number;
  onProgress?: (replayed: number) => void;
}

export interface ReplayReport {
  read: number;
  loaded: number;
  invalid: number;
  /**
   * Archived events the store refuses in a derived table (the live processor dead-lettered them with the reason; the
   * archive keeps what was received): skipped again, so one such row never stops a replay.
   */
  refused: number;
  /** Archived events of erased people (the erasure register), skipped. */
  erased: number;
}

/**
 * Derived tables a replay rebuilds; `sessions` and the query API's lookup tables (migration 0270/0271: session_days,
 * events_by_visitor, customer_browsers) are refilled by their materialized views from events, orders, identities;
 * unsettled_visits by the loader, and the replay settles them at its end (the events' visit columns, migration 0430).
 */
export const DERIVED_TABLES = ['events', 'orders', 'order_items', 'identities', 'sessions', 'session_days', 'events_by_visitor', 'customer_browsers', 'unsettled_visits'] as const;

const ORIGIN_BY_NAME: Record<string, RawEventOrigin> = {
  browser: RawEventOrigin.BROWSER,
  email_pixel: RawEventOrigin.EMAIL_PIXEL,
  email_click: RawEventOrigin.EMAIL_CLICK,
  server: RawEventOrigin.SERVER,
};

interface ArchiveRow {
  site_id: string;
  eid: string;
  type: string;
  anonymous_id: string;
  event_json: string;
  device_ts: number;
  sent_at: number;
  received_at: number;
  ip_anonymized: string;
  user_agent: string;
  collector_id: string;
  origin: string;
}

/**
 * Event sourcing: rebuilds events, orders, order items, identities (and through them sessions) from the raw
 * archive. It goes through the same enrichment and the same per-table existence checks as the live processor,
 * so a replay that is interrupted and started again, or runs while the processor is live, never double counts.
 * The archive keeps only the anonymised address, so geo is looked up on it (city-level precision stays).
 * Events of erased people (the erasure register) are skipped: a replay never brings them back.
 */
export async function replayFromArchive(options: ReplayOptions): Promise<ReplayReport> {
  const { client, database } = options;
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(database)) throw new Error(`invalid database ${JSON.stringify(database)}`);
  if (options.truncate) {
    for (const table of DERIVED_TABLES) await client.command({ query: `TRUNCATE TABLE IF EXISTS ${database}.${table}` });
  }
  const pageSize = options.pageSize ?? 10_000;
  const report: ReplayReport = { read: 0, loaded: 0, invalid: 0, erased: 0, refused: 0 };
  // The erasure deletes the archive's rows too; the register also covers rows an erasure could not reach
  // (a backup restored into raw_events, an erasure that failed half-way), and is re-read for every page.
  const register = options.store.readErasureRegister ? createErasureRegisterReader({ readErasureRegister: options.store.readErasureRegister }) : null;
  let after = { site: '', id: '00000000-0000-0000-0000-000000000000' };
  for (;;) {
    const result = await client.query({
      query: `SELECT site_id, toString(event_id) AS eid, type, anonymous_id, event_json,
                     toUnixTimestamp64Milli(device_ts) AS device_ts, toUnixTimestamp64Milli(sent_at) AS sent_at,
                     toUnixTimestamp64Milli(received_at) AS received_at, ip_anonymized, user_agent, collector_id, origin
              FROM ${database}.raw_events
              WHERE (site_id, event_id) > ({site:String}, {id:UUID})
              ORDER BY site_id, event_id
              LIMIT 1 BY site_id, event_id
              LIMIT {limit:UInt32}`,
      query_params: { site: after.site, id: after.id, limit: pageSize },
      format: 'JSONEachRow',
    });
    const rows = await result.json<ArchiveRow>();
    if (!rows.length) break;
    report.read += rows.length;
    const enriched = [];
    const erased = register ? await register.current() : null;
    for (const row of rows) {
      const raw: RawEvent = {
        eventId: row.eid,
        type: row.type,
        anonymousId: row.anonymous_id,
        siteId: row.site_id,
        eventJson: row.event_json,
        deviceTs: Number(row.device_ts),
        sentAt: Number(row.sent_at),
        receivedAt: Number(row.received_at),
        clientIp: row.ip_anonymized,
        userAgent: row.user_agent,
        collectorId: row.collector_id,
        origin: ORIGIN_BY_NAME[row.origin] ?? RawEventOrigin.ORIGIN_UNSPECIFIED,
      };
      // Through the wire format and the same validation as live traffic: an archived row is not trusted more.
      const decoded = decodeMessage(encodeRawEvent(raw));
      if (decoded.kind !== 'ok') {
        report.invalid++;
        continue;
      }
      if (erased && dropIfErased(decoded.value, erased).kind === 'drop') {
        report.erased++;
        continue;
      }
      enriched.push(await options.enrich(decoded.value));
    }
    const batch = buildRows(enriched);
    batch.raw_events = [];
    try {
      await loadBatch(options.store, batch);
      report.loaded += enriched.length;
    } catch (err) {
      // Only a refused row is worth splitting for; a store that is down fails the replay, which is started again.
      if (classifyStoreError(err).kind === 'transient') throw err;
      const outcome = await loadResiliently(enriched, { store: options.store, retry: { initialDelayMs: 200, maxDelayMs: 5_000 }, isActive: () => true, rawEvents: false });
      report.loaded += enriched.length - outcome.refused.length;
      report.refused += outcome.refused.length;
    }
    options.onProgress?.(report.read);
    const last = rows[rows.length - 1]!;
    after = { site: last.site_id, id: last.eid };
  }
  await options.store.settleVisits?.();
  return report;
}
