import type { EnrichedEvent } from '../enrich/enrich-event.js';
import { buildRows, TABLES, type TableName } from '../load/build-rows.js';
import type { EventStore } from '../load/event-store.js';
import { loadBatch, type LoadReport } from '../load/load-batch.js';
import { classifyStoreError, refusalReason, type StoreFailure } from '../load/store-error.js';
import { COLUMN_NAMES } from '../load/table-columns.js';
import { retryWhileActive, type RetryPolicy } from './retry.js';

/** An event the store refused, alone, with a data error: it goes to the DLQ with this reason instead of being stored. */
export interface RefusedEvent {
  event: EnrichedEvent;
  reason: string;
}

export interface ResilientOutcome {
  /** True once every event was stored or refused; false when the caller stopped being active first. */
  done: boolean;
  report: LoadReport | null;
  refused: RefusedEvent[];
}

export interface ResilientLoadOptions {
  store: EventStore;
  retry: RetryPolicy;
  isActive: () => boolean;
  /** Every failed attempt, classified (for logs, counters and readiness). */
  onFailure?: (error: Error, failure: StoreFailure, attempt: number) => void;
  /**
   * Consecutive unknown errors on the whole set before it is split (default 5, ~3 s at the default backoff): an error
   * neither list knows is first taken for a blip; after that, and only while the store answers a ping, for the rows.
   */
  unknownAttemptsBeforeSplit?: number;
  /** false: the derived tables only (the archive replay, which reads raw_events). Default true. */
  rawEvents?: boolean;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Loads events into every table and never retries a refused row forever. A transient error (the store down, busy, a
 * timeout) retries the same rows with backoff while the caller is active, as before. A data error (ClickHouse cannot
 * parse or hold a value: a lone surrogate, an unparsable UUID, …) splits the set in halves, recursively, so every row
 * the store accepts is stored and each refused row ends up alone, refused again, and is returned to be dead-lettered.
 * Re-loading a half is safe: loadBatch checks what each table already holds (an earlier attempt may have written some
 * tables), so accepted rows are stored exactly once. A refused purchase may have written its order (orders go before
 * `events`): that is taken back (retractOrders). Cost: one poison row among n costs about 2·log2(n) extra loads; rows
 * holding a lone surrogate (the known case) are picked out directly once the store refused their batch for it.
 */
export async function loadResiliently(events: EnrichedEvent[], options: ResilientLoadOptions): Promise<ResilientOutcome> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const unknownLimit = options.unknownAttemptsBeforeSplit ?? 5;
  const refused: RefusedEvent[] = [];
  let report: LoadReport | null = null;

  async function part(slice: EnrichedEvent[], splitting: boolean): Promise<boolean> {
    let delay = options.retry.initialDelayMs;
    let unknownStreak = 0;
    /** Unknown errors in a row after which the store answered a ping. */
    let answered = 0;
    for (let attempt = 1; options.isActive(); attempt++) {
      let error: Error;
      try {
        let rows;
        try {
          rows = buildRows(slice);
        } catch (err) {
          throw new RowBuildError(err);
        }
        if (options.rawEvents === false) rows.raw_events = [];
        const loaded = await loadBatch(options.store, rows);
        report = report ? mergeReports(report, loaded) : loaded;
        return true;
      } catch (err) {
        error = err instanceof Error ? err : new Error(String(err));
      }
      // Building rows is plain code over the events: when it throws, some event cannot be written at all (a value
      // enrichment let through, e.g. an invalid date): a data error, split out like a refused row.
      const failure: StoreFailure = error instanceof RowBuildError ? { kind: 'data', code: 'store_refused_row' } : classifyStoreError(error);
      options.onFailure?.(error, failure, attempt);
      let rowsAtFault = failure.kind === 'data';
      if (failure.kind === 'unknown') {
        unknownStreak++;
        // An error nobody classified counts against the rows only while the store answers: during an outage of a
        // kind not listed, nothing is split or dead-lettered.
        if (splitting || unknownStreak >= unknownLimit) {
          if (await options.store.ping().catch(() => false)) {
            answered++;
            rowsAtFault = true;
          } else answered = 0;
        }
      } else answered = 0;
      if (rowsAtFault && slice.length > 1 && failure.clickhouseCode === CANNOT_PARSE_ESCAPE_SEQUENCE) {
        // The one refusal we can recognise without asking the store again: a lone high surrogate, which JSON carries as
        // an escape ClickHouse cannot decode. Those rows are refused at once and the rest retried, so a flood of them
        // costs one load each round instead of 2·log2(n) loads per row; any other refused row is still found by splitting.
        const suspects = slice.map((e) => [e, loneSurrogateColumn(e)] as const).filter(([, column]) => column !== null);
        if (suspects.length) {
          for (const [event, column] of suspects) {
            // The table is the one whose column holds the surrogate (the store's message is its batch's first refusal).
            const reason = `${refusalReason(error, { ...failure, table: column!.split('.')[0] as TableName })} [lone surrogate in ${column}]`;
            if (!(await refuse(event, reason))) return false;
          }
          const suspected = new Set(suspects.map(([e]) => e));
          slice = slice.filter((e) => !suspected.has(e));
          attempt = 0;
          continue;
        }
      }
      if (rowsAtFault && slice.length > 1) {
        const middle = Math.ceil(slice.length / 2);
        return (await part(slice.slice(0, middle), true)) && (await part(slice.slice(middle), true));
      }
      // A single row: a data error refuses it; an unknown one only after two failures in a row, each time with the store
      // answering a ping right after (an outage ending just then cannot make a good row look refused).
      if (rowsAtFault && (failure.kind === 'data' || answered >= 2)) return refuse(slice[0]!, error instanceof RowBuildError ? error.message : refusalReason(error, failure));
      const until = Date.now() + delay * (0.75 + Math.random() * 0.5);
      while (Date.now() < until && options.isActive()) await sleep(Math.min(250, until - Date.now()));
      delay = Math.min(options.retry.maxDelayMs, delay * 2);
    }
    return false;
  }

  async function refuse(event: EnrichedEvent, reason: string): Promise<boolean> {
    if (event.event.type === 'purchase') {
      const order = [{ siteId: event.raw.siteId, eventId: event.event.id.toLowerCase(), orderId: event.event.props.orderId }];
      // Retried while the store is down; an error that is not transient (the order id itself unusable as a query
      // parameter, say) ends the attempt: the letter matters more than the order row, which is then left behind.
      const retracted = await retryWhileActive(
        async () => {
          try {
            await options.store.retractOrders(order);
          } catch (err) {
            if (classifyStoreError(err).kind === 'transient') throw err;
            options.onFailure?.(err instanceof Error ? err : new Error(String(err)), classifyStoreError(err), 1);
          }
        },
        {
          policy: options.retry,
          isActive: options.isActive,
          onError: (error, attempt) => options.onFailure?.(error, classifyStoreError(error), attempt),
          sleep: options.sleep,
        },
      );
      if (!retracted.done) return false;
      // A reloaded thank-you page sends the same order under another event id: if such a copy was loaded beside the
      // refused one, its order row was skipped (the refused event's came first) and has just been taken back.
      const orderId = event.event.props.orderId;
      for (const other of events) {
        if (other !== event && other.event.type === 'purchase' && other.raw.siteId === event.raw.siteId && other.event.props.orderId === orderId) reload.add(other);
      }
    }
    refused.push({ event, reason });
    return true;
  }

  const reload = new Set<EnrichedEvent>();
  let done = events.length ? await part(events, false) : true;
  // Loading them again writes only what is missing (their orders); everything else is found stored.
  const again = [...reload].filter((e) => !refused.some((r) => r.event === e));
  if (done && again.length) done = await part(again, true);
  return { done, report, refused };
}

class RowBuildError extends Error {
  constructor(cause: unknown) {
    super(`the event's rows could not be built: ${(cause instanceof Error ? cause.message : String(cause)).split('\n')[0]!.slice(0, 300)}`);
    this.name = 'RowBuildError';
  }
}

const CANNOT_PARSE_ESCAPE_SEQUENCE = 25;
/** A UTF-16 high surrogate not followed by a low one: JSON.stringify writes it as an escape ClickHouse refuses. */
const LONE_HIGH_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])/;

/** The first `table.column` of the event's rows holding a lone high surrogate, or null. */
function loneSurrogateColumn(event: EnrichedEvent): string | null {
  const rows = buildRows([event]);
  for (const table of TABLES) {
    for (const { row } of rows[table]) {
      for (let i = 0; i < row.length; i++) {
        const value = row[i];
        const values = Array.isArray(value) ? value : [value];
        if (values.some((v) => typeof v === 'string' && LONE_HIGH_SURROGATE.test(v))) return `${table}.${COLUMN_NAMES[table][i]}`;
      }
    }
  }
  return null;
}

export function mergeReports(a: LoadReport, b: LoadReport): LoadReport {
  const sum = (x: LoadReport['inserted'], y: LoadReport['inserted']) =>
    Object.fromEntries(Object.entries(x).map(([k, v]) => [k, v + y[k as keyof typeof y]])) as LoadReport['inserted'];
  return { inserted: sum(a.inserted, b.inserted), alreadyStored: sum(a.alreadyStored, b.alreadyStored) };
}
