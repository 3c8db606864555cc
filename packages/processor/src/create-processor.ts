import { TOPICS } from '@spoor/events';
import type { EventLog, EventLogConsumer, EventLogProducer, KeyValue } from '@spoor/infra';
import { createSeenSet } from './dedupe/seen-set.js';
import { leasedSettle, startVisitSettler } from './load/visit-settler.js';
import type { IpAnonymisation } from './enrich/anonymise-ip.js';
import type { Enricher } from './enrich/enrich-event.js';
import type { EventStore } from './load/event-store.js';
import { createCoalescingLoader, createDirectLoader, type LoadWatch } from './pipeline/event-loader.js';
import { createErasureRegisterReader } from './erasure/erasure-register.js';
import { createBatchHandler, type BatchStats } from './pipeline/handle-batch.js';
import { DEFAULT_RETRY, type RetryPolicy } from './pipeline/retry.js';

/**
 * One coalesced fetch (four partitions × 4 MB) is ~25,000 events; loading it as one set of inserts instead of chunks of
 * 10,000 saved ~5 µs CPU per event on embedded chDB (every insert has a fixed cost: ~15 ms for `events` with its view).
 */
export const DEFAULT_MAX_EVENTS_PER_INSERT = 30_000;

export interface ProcessorDeps {
  log: EventLog;
  store: EventStore;
  enrich: Enricher;
  /**
   * How often this processor settles visits (the store's settleVisits; PROCESSOR_SETTLE_VISITS_SECONDS): 0 or unset,
   * never. Processors sharing `keyValue` take turns under a lease (visit-settler.ts).
   */
  settleVisitsEveryMs?: number;
  onSettleError?: (error: Error) => void;
  /** Redis (or memory) for the seen-set fast path; null/undefined: ClickHouse checks alone. */
  keyValue?: KeyValue | null;
  groupId?: string;
  /** IP_ANONYMISATION for dead letters (the enricher applies it to stored rows); default: truncate /24, /48. */
  ipAnonymisation?: IpAnonymisation;
  topics?: { raw: string; deadLetter: string };
  /** Start a new group from the earliest offset (replay) instead of the latest. */
  fromBeginning?: boolean;
  /** Largest load (events) in one set of inserts; a larger batch is loaded in chunks. Default 30,000. */
  maxEventsPerInsert?: number;
  /** Fetch bounds: a batch is whatever arrived within maxWaitMs, up to maxBytesPerPartition. */
  fetch?: { minBytes?: number; maxWaitMs?: number; maxBytesPerPartition?: number };
  sessionTimeoutMs?: number;
  /** Partitions whose batches are handled at once (default 4); their rows are loaded together as one set of inserts. */
  concurrency?: number;
  /** false: each partition's batch is loaded on its own (no coalescing), so one partition's inserts overlap another's enrichment. */
  coalesce?: boolean;
  /**
   * Partition batches coalesced into one load (default: all of `concurrency`). Fewer (e.g. 2 of 4) lets one group's
   * inserts run in chDB/ClickHouse while the next group is decoded and enriched, at the price of more inserts.
   */
  coalesceGroup?: number;
  retry?: RetryPolicy;
  /** Not ready when a batch has been in flight (retrying) for longer than this (default 60 s). */
  readinessWindowMs?: number;
  /**
   * Not ready when one load has been failing (every attempt refused by the store) for longer than this (default 30 s,
   * about ten attempts at the default backoff): long enough for a blip to pass, short enough for an alert.
   */
  failingReadinessMs?: number;
  /** Consecutive unknown store errors before a load is split (resilient-load.ts; default 5). */
  unknownAttemptsBeforeSplit?: number;
  now?: () => number;
  onBatch?: (stats: BatchStats) => void;
  onRetry?: (error: Error, attempt: number, stage: 'load' | 'dead-letter') => void;
  /** The consumer stopped for good: main.ts exits so a supervisor restarts the process. */
  onFatal?: (error: Error) => void;
}

export interface ProcessorTotals {
  batches: number;
  messages: number;
  loaded: number;
  deadLettered: number;
  droppedDuplicates: number;
  /** Events of erased people, dropped by the erasure register. */
  droppedErased: number;
  alreadyStored: number;
  /** Events the store refused (dead-lettered with its reason, stage processor.load). */
  refused: number;
  retries: number;
  /** A reason code, never the store's text (that can quote row contents): see ProcessorHealth. */
  lastErrorCode: string | null;
}

/**
 * What an unauthenticated /readyz may show: counts and reason codes only. The store's own error text can quote the
 * rows it refused (event contents, personal data): it goes to the server log (onRetry), never here.
 */
export interface ProcessorHealth {
  ready: boolean;
  /** How long the longest-failing load has been failing (0: none is). */
  failing_for_ms: number;
  /** store_unavailable, store_refused_row, store_error, log_unavailable, consumer_crashed, not_started; null: none yet. */
  last_error_code: string | null;
  retries: number;
  batches: number;
  /** Log records handled (a RawEvent or a RawEventBatch each). */
  messages: number;
  loaded: number;
  dead_lettered: number;
  refused: number;
}

export interface Processor {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** "A batch was processed recently, or there is nothing to do": no batch stuck in flight past the window. */
  ready(): boolean;
  /** Readiness with its reasons, safe to show to anyone (counts and codes). */
  health(): ProcessorHealth;
  totals(): ProcessorTotals;
}

export function createProcessor(deps: ProcessorDeps): Processor {
  const now = deps.now ?? Date.now;
  const topics = deps.topics ?? TOPICS;
  const sessionTimeoutMs = deps.sessionTimeoutMs ?? 30_000;
  const readinessWindowMs = deps.readinessWindowMs ?? 60_000;
  const failingReadinessMs = deps.failingReadinessMs ?? 30_000;
  const totals: ProcessorTotals = { batches: 0, messages: 0, loaded: 0, deadLettered: 0, droppedDuplicates: 0, droppedErased: 0, alreadyStored: 0, refused: 0, retries: 0, lastErrorCode: null };
  /** Loads that failed at least once and have not ended, with when they first failed. */
  const failingSince = new Map<object, number>();
  let consumer: EventLogConsumer | undefined;
  let producer: EventLogProducer | undefined;
  let started = false;
  let settler: { stop(): Promise<void> } | undefined;
  let fatal: Error | undefined;
  /** Batches being handled now (one per partition being worked on), with when each started. */
  const inFlight = new Map<Promise<unknown>, number>();

  const concurrency = deps.concurrency ?? 4;
  const retry = deps.retry ?? DEFAULT_RETRY;
  const onLoadRetry = (error: Error, attempt: number) => {
    totals.retries++;
    deps.onRetry?.(error, attempt, 'load');
  };
  const watch = (): LoadWatch => {
    const id = {};
    return {
      failed(failure) {
        totals.lastErrorCode = failure.code;
        if (!failingSince.has(id)) failingSince.set(id, now());
      },
      end: () => void failingSince.delete(id),
    };
  };
  const loaderDeps = {
    store: deps.store,
    retry,
    maxEventsPerInsert: deps.maxEventsPerInsert ?? DEFAULT_MAX_EVENTS_PER_INSERT,
    onRetry: onLoadRetry,
    watch,
    unknownAttemptsBeforeSplit: deps.unknownAttemptsBeforeSplit,
  };
  const handler = createBatchHandler({
    enrich: deps.enrich,
    loader: concurrency > 1 && deps.coalesce !== false ? createCoalescingLoader({ ...loaderDeps, windowMs: 20, expectedCallers: Math.max(1, Math.min(concurrency, deps.coalesceGroup ?? concurrency)) }) : createDirectLoader(loaderDeps),
    seenSet: deps.keyValue ? createSeenSet(deps.keyValue) : null,
    erasures: deps.store.readErasureRegister ? createErasureRegisterReader({ readErasureRegister: deps.store.readErasureRegister }) : null,
    deadLetters: { send: (messages) => producer!.send(topics.deadLetter, messages) },
    ipAnonymisation: deps.ipAnonymisation,
    retry,
    heartbeatEveryMs: Math.max(500, Math.floor(sessionTimeoutMs / 6)),
    now,
    onBatch: (stats) => {
      totals.batches++;
      totals.messages += stats.messages;
      totals.loaded += stats.loaded;
      totals.deadLettered += stats.deadLettered;
      totals.refused += stats.refused;
      totals.droppedDuplicates += stats.dropped.inBatch + stats.dropped.seenSet;
      totals.droppedErased += stats.dropped.erased;
      if (stats.report) totals.alreadyStored += Object.values(stats.report.alreadyStored).reduce((a, b) => a + b, 0);
      deps.onBatch?.(stats);
    },
    onRetry: (error, attempt, stage) => {
      totals.retries++;
      totals.lastErrorCode = stage === 'dead-letter' ? 'log_unavailable' : 'store_error';
      deps.onRetry?.(error, attempt, stage);
    },
  });

  const failingForMs = () => (failingSince.size ? Math.max(0, now() - Math.min(...failingSince.values())) : 0);
  const ready = () => {
    if (!started || fatal) return false;
    if (failingForMs() >= failingReadinessMs) return false;
    const oldest = Math.min(...inFlight.values());
    return !inFlight.size || now() - oldest < readinessWindowMs;
  };

  return {
    async start() {
      if (started) return;
      started = true;
      const settle = deps.store.settleVisits;
      if (settle && deps.settleVisitsEveryMs) {
        // Processors sharing a KeyValue store (Redis) take turns; one group's processors share one database.
        const once = deps.keyValue ? leasedSettle(deps.keyValue, `spoor:settle-visits:${deps.groupId ?? 'spoor-processor'}`, settle) : settle;
        settler = startVisitSettler({ settle: once, everyMs: deps.settleVisitsEveryMs, onError: deps.onSettleError });
      }
      producer = await deps.log.producer();
      consumer = await deps.log.consumer({
        groupId: deps.groupId ?? 'spoor-processor',
        topics: [topics.raw],
        fromBeginning: deps.fromBeginning ?? true,
        sessionTimeoutMs,
        heartbeatIntervalMs: Math.max(500, Math.floor(sessionTimeoutMs / 6)),
        minBytes: deps.fetch?.minBytes,
        maxWaitTimeMs: deps.fetch?.maxWaitMs ?? 500,
        maxBytesPerPartition: deps.fetch?.maxBytesPerPartition,
        partitionsConsumedConcurrently: concurrency,
      });
      consumer.onFatal((error) => {
        fatal = error;
        deps.onFatal?.(error);
      });
      await consumer.run(async (batch, control) => {
        const handled = handler(batch, control);
        inFlight.set(handled, now());
        try {
          return await handled;
        } finally {
          inFlight.delete(handled);
        }
      });
    },

    async stop() {
      const c = consumer;
      const p = producer;
      consumer = undefined;
      producer = undefined;
      const s = settler;
      settler = undefined;
      await Promise.all([c?.stop(), s?.stop()]);
      // A batch still being written finishes (or gives up, its partition no longer active) before we return,
      // so a graceful stop never leaves a half-written batch behind.
      await Promise.allSettled([...inFlight.keys()]);
      await p?.close();
    },

    ready,

    health() {
      return {
        ready: ready(),
        failing_for_ms: failingForMs(),
        last_error_code: fatal ? 'consumer_crashed' : started ? totals.lastErrorCode : 'not_started',
        retries: totals.retries,
        batches: totals.batches,
        messages: totals.messages,
        loaded: totals.loaded,
        dead_lettered: totals.deadLettered,
        refused: totals.refused,
      };
    },

    totals: () => ({ ...totals }),
  };
}
