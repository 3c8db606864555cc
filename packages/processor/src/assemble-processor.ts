import type { EventLog, KeyValue } from '@spoor/infra';
import { enricherOptions, ipAnonymisationOf, type ProcessorConfig } from './config/processor-settings.js';
import { createProcessor, type Processor, type ProcessorDeps } from './create-processor.js';
import type { Enricher } from './enrich/enrich-event.js';
import { loadEnricher } from './enrich/load-enricher.js';
import type { EventStore } from './load/event-store.js';

/** The adapters a processor runs on, opened by the entry point (infra openEventLog / openStore / openKeyValue). */
export interface ProcessorAdapters {
  eventLog: EventLog;
  /** createClickHouseEventStore(opened.client, opened.clickhouse.database), or a test's or drill's wrapper of it. */
  store: EventStore;
  /** Redis or in-process state for the seen-set; null: ClickHouse existence checks alone (replay). */
  keyValue: KeyValue | null;
  /** An enricher already loaded (its geo database is large: a process that assembles twice loads it once). */
  enrich?: Enricher;
}

/**
 * What only a caller can decide, not the .env: callbacks, and the drills' and replay's tighter bounds. Everything an
 * operator can set is a setting in processor-settings.ts instead.
 */
export type AssembleProcessorOptions = Partial<Pick<ProcessorDeps, 'fromBeginning' | 'retry' | 'settleVisitsEveryMs' | 'readinessWindowMs' | 'concurrency' | 'coalesce' | 'coalesceGroup' | 'unknownAttemptsBeforeSplit' | 'now' | 'onBatch' | 'onRetry' | 'onFatal'>> & {
  /** Overrides the configured group (replay uses a fresh group per run). */
  groupId?: string;
  /** Fetch bounds beyond PROCESSOR_MAX_WAIT_MS (the drills use small fetches). */
  maxBytesPerPartition?: number;
};

/**
 * The one assembly of a processor from its settings and adapters. The package main, the `spoor` processor role,
 * replay from the log and the fault drills all call this, so a setting means the same under each of them.
 * Returns the processor unstarted: the caller starts it once its other parts (an HTTP server) are up.
 */
export async function assembleProcessor(config: ProcessorConfig, adapters: ProcessorAdapters, options: AssembleProcessorOptions = {}): Promise<Processor> {
  const { groupId, maxBytesPerPartition, ...hooks } = options;
  return createProcessor({
    log: adapters.eventLog,
    store: adapters.store,
    enrich: adapters.enrich ?? (await loadEnricher(enricherOptions(config))),
    keyValue: adapters.keyValue,
    groupId: groupId ?? config.PROCESSOR_GROUP_ID,
    topics: { raw: config.SPOOR_TOPIC_RAW, deadLetter: config.SPOOR_TOPIC_DLQ },
    sessionTimeoutMs: config.PROCESSOR_SESSION_TIMEOUT_MS,
    maxEventsPerInsert: config.PROCESSOR_MAX_EVENTS_PER_INSERT,
    fetch: { maxWaitMs: config.PROCESSOR_MAX_WAIT_MS, maxBytesPerPartition },
    failingReadinessMs: config.PROCESSOR_FAILING_READY_MS,
    ipAnonymisation: ipAnonymisationOf(config),
    settleVisitsEveryMs: config.PROCESSOR_SETTLE_VISITS_SECONDS * 1000,
    onSettleError: (error) => console.error(`[processor] settling visits failed (the next round retries): ${error.message}`),
    onRetry: (error, attempt, stage) => {
      if (attempt === 1 || attempt % 10 === 0) console.error(`[processor] ${stage} failed (attempt ${attempt}), retrying the same batch: ${error.message}`);
    },
    ...hooks,
  });
}
