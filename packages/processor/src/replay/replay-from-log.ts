import type { ClickHouseClient } from '@clickhouse/client';
import type { EventLog } from '@spoor/infra';
import { assembleProcessor } from '../assemble-processor.js';
import type { ProcessorConfig } from '../config/processor-settings.js';
import type { ProcessorTotals } from '../create-processor.js';
import type { Enricher } from '../enrich/enrich-event.js';
import type { EventStore } from '../load/event-store.js';
import { DERIVED_TABLES } from './replay-from-archive.js';

export interface LogReplayOptions {
  /** The processor's settings: topics, batch bounds, IP anonymisation of dead letters — as the live processor has them. */
  config: ProcessorConfig;
  eventLog: EventLog;
  client: ClickHouseClient;
  database: string;
  store: EventStore;
  enrich: Enricher;
  truncate?: boolean;
  /** Stop after this long without a new message (the log is read to its end). */
  quietMs?: number;
  groupId?: string;
}

/**
 * Rebuilds the derived tables from the raw topic: the live processor's assembly under a fresh consumer group from the
 * earliest offset, without the Redis seen-set (it would call truncated rows "stored"). raw_events rows already present
 * are skipped by the existence check; everything missing is filled; nothing is counted twice.
 */
export async function replayFromLog(options: LogReplayOptions): Promise<ProcessorTotals> {
  const { client, database } = options;
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(database)) throw new Error(`invalid database ${JSON.stringify(database)}`);
  if (options.truncate) for (const table of DERIVED_TABLES) await client.command({ query: `TRUNCATE TABLE IF EXISTS ${database}.${table}` });
  let fatal: Error | undefined;
  const processor = await assembleProcessor(
    options.config,
    { eventLog: options.eventLog, store: options.store, keyValue: null, enrich: options.enrich },
    {
      groupId: options.groupId ?? `spoor-replay-${Date.now().toString(36)}`,
      fromBeginning: true,
      // Settled once at the end, below: a live processor may be settling too, and two must not overlap for long.
      settleVisitsEveryMs: 0,
      onFatal: (error) => {
        fatal = error;
      },
    },
  );
  await processor.start();
  const quietMs = options.quietMs ?? 15_000;
  let last = -1;
  let quietSince = Date.now();
  while (Date.now() - quietSince < quietMs && !fatal) {
    await new Promise((r) => setTimeout(r, 250));
    const { messages } = processor.totals();
    if (messages !== last) [last, quietSince] = [messages, Date.now()];
  }
  await processor.stop();
  if (fatal) throw fatal;
  await options.store.settleVisits?.();
  return processor.totals();
}
