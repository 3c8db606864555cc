import type { EnrichedEvent } from '../enrich/enrich-event.js';
import { buildRows } from '../load/build-rows.js';
import type { EventStore } from '../load/event-store.js';
import { loadBatch, type LoadReport } from '../load/load-batch.js';
import { retryWhileActive, type RetryPolicy } from './retry.js';

export interface LoadOutcome {
  /** True once every table acknowledged every event; false when the caller stopped being active first. */
  stored: boolean;
  report: LoadReport | null;
}

/** Stores enriched events in every table, retrying while the caller is active. Never throws. */
export interface EventLoader {
  load(events: EnrichedEvent[], isActive: () => boolean): Promise<LoadOutcome>;
}

export interface LoaderDeps {
  store: EventStore;
  retry: RetryPolicy;
  /** Largest number of events per insert; more are loaded in several chunks. */
  maxEventsPerInsert: number;
  onRetry?: (error: Error, attempt: number) => void;
}

export function createDirectLoader(deps: LoaderDeps): EventLoader {
  return {
    async load(events, isActive) {
      let report: LoadReport | null = null;
      for (let start = 0; start < events.length; start += deps.maxEventsPerInsert) {
        const rows = buildRows(events.slice(start, start + deps.maxEventsPerInsert));
        const loaded = await retryWhileActive(() => loadBatch(deps.store, rows), { policy: deps.retry, isActive, onError: deps.onRetry });
        if (!loaded.done) return { stored: false, report };
        report = report ? mergeReports(report, loaded.value) : loaded.value;
      }
      return { stored: true, report };
    },
  };
}

/**
 * Several partitions' batches arrive together (one fetch, handled concurrently); loading them as one set of
 * inserts instead of one set per partition divides ClickHouse's per-query cost (and the number of parts) by the
 * number of partitions. Each caller still commits only its own partition, after the combined load was acknowledged.
 * Merging is safe because the per-table existence checks do not care which partition a row came from, and copies of
 * one event id (the same Kafka key) are never in two partitions; a duplicate across partitions is dropped anyway.
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
        const id = e.event.id.toLowerCase();
        if (!seen.has(id)) {
          seen.add(id);
          merged.push(e);
        }
      }
    }
    let outcome: LoadOutcome;
    try {
      outcome = await direct.load(merged, () => group.some((p) => p.isActive()));
    } catch {
      outcome = { stored: false, report: null };
    }
    group.forEach((p, i) => p.resolve(i === 0 ? outcome : { stored: outcome.stored, report: null }));
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

export function mergeReports(a: LoadReport, b: LoadReport): LoadReport {
  const sum = (x: LoadReport['inserted'], y: LoadReport['inserted']) =>
    Object.fromEntries(Object.entries(x).map(([k, v]) => [k, v + y[k as keyof typeof y]])) as LoadReport['inserted'];
  return { inserted: sum(a.inserted, b.inserted), alreadyStored: sum(a.alreadyStored, b.alreadyStored) };
}
