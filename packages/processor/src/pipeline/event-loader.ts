import type { EnrichedEvent } from '../enrich/enrich-event.js';
import type { EventStore } from '../load/event-store.js';
import type { LoadReport } from '../load/load-batch.js';
import type { StoreFailure } from '../load/store-error.js';
import { loadResiliently, mergeReports, type RefusedEvent } from './resilient-load.js';
import type { RetryPolicy } from './retry.js';

export { mergeReports };

export interface LoadOutcome {
  /** True once every event was stored or refused; false when the caller stopped being active first. */
  stored: boolean;
  report: LoadReport | null;
  /** Events of this caller the store refused (data errors): the caller dead-letters them, then commits. */
  refused: RefusedEvent[];
}

/** Stores enriched events in every table, retrying while the caller is active. Never throws. */
export interface EventLoader {
  load(events: EnrichedEvent[], isActive: () => boolean): Promise<LoadOutcome>;
}

/** How a load is doing, for readiness: a load that keeps failing makes the processor not ready after a bound. */
export interface LoadWatch {
  failed(failure: StoreFailure): void;
  end(): void;
}

export interface LoaderDeps {
  store: EventStore;
  retry: RetryPolicy;
  /** Largest number of events per insert; more are loaded in several chunks. */
  maxEventsPerInsert: number;
  onRetry?: (error: Error, attempt: number, failure: StoreFailure) => void;
  /** Called once per load; the watch hears of every failed attempt and of the end. */
  watch?: () => LoadWatch;
  unknownAttemptsBeforeSplit?: number;
}

const eventKey = (e: EnrichedEvent) => `${e.raw.siteId}\u0000${e.event.id.toLowerCase()}`;

export function createDirectLoader(deps: LoaderDeps): EventLoader {
  return {
    async load(events, isActive) {
      const watch = deps.watch?.();
      try {
        let report: LoadReport | null = null;
        const refused: RefusedEvent[] = [];
        for (let start = 0; start < events.length; start += deps.maxEventsPerInsert) {
          const loaded = await loadResiliently(events.slice(start, start + deps.maxEventsPerInsert), {
            store: deps.store,
            retry: deps.retry,
            isActive,
            unknownAttemptsBeforeSplit: deps.unknownAttemptsBeforeSplit,
            onFailure: (error, failure, attempt) => {
              watch?.failed(failure);
              deps.onRetry?.(error, attempt, failure);
            },
          });
          if (loaded.report) report = report ? mergeReports(report, loaded.report) : loaded.report;
          refused.push(...loaded.refused);
          if (!loaded.done) return { stored: false, report, refused: [] };
        }
        return { stored: true, report, refused };
      } finally {
        watch?.end();
      }
    },
  };
}

/**
 * Several partitions' batches arrive together (one fetch, handled concurrently); loading them as one set of
 * inserts instead of one set per partition divides ClickHouse's per-query cost (and the number of parts) by the
 * number of partitions. Each caller still commits only its own partition, after the combined load was acknowledged.
 * Merging is safe because the per-table existence checks do not care which partition a row came from, and copies of
 * one event (the same site and id, the same Kafka key) are never in two partitions; a duplicate across partitions is
 * dropped anyway. A refused event goes back to every caller that brought it (each dead-letters its own record).
 */
export function createCoalescingLoader(deps: LoaderDeps & { windowMs: number; expectedCallers: number }): EventLoader {
  const direct = createDirectLoader(deps);
  let pending: Array<{ events: EnrichedEvent[]; isActive: () => boolean; resolve: (o: LoadOutcome) => void }> = [];
  let timer: NodeJS.Timeout | null = null;

  async function flush() {
    if (timer) clearTimeout(timer);
    timer = null;
    const group = pending;
    pending = [];
    if (!group.length) return;
    const seen = new Set<string>();
    const merged: EnrichedEvent[] = [];
    for (const { events } of group) {
      for (const e of events) {
        const key = eventKey(e);
        if (!seen.has(key)) {
          seen.add(key);
          merged.push(e);
        }
      }
    }
    let outcome: LoadOutcome;
    try {
      outcome = await direct.load(merged, () => group.some((p) => p.isActive()));
    } catch {
      outcome = { stored: false, report: null, refused: [] };
    }
    const refusedByKey = new Map(outcome.refused.map((r) => [eventKey(r.event), r.reason]));
    group.forEach((p, i) => {
      // Each caller gets its own copies back (its own source offsets), whichever copy was the one loaded.
      const refused = refusedByKey.size ? p.events.flatMap((event) => (refusedByKey.has(eventKey(event)) ? [{ event, reason: refusedByKey.get(eventKey(event))! }] : [])) : [];
      p.resolve({ stored: outcome.stored, report: i === 0 ? outcome.report : null, refused });
    });
  }

  return {
    load(events, isActive) {
      return new Promise<LoadOutcome>((resolve) => {
        pending.push({ events, isActive, resolve });
        if (pending.length >= deps.expectedCallers) void flush();
        else if (!timer) timer = setTimeout(() => void flush(), deps.windowMs);
      });
    },
  };
}
