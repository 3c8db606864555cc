import { parseArgs } from 'node:util';
import { clusterOf, openEventLog, openStore } from '@spoor/infra';
import { enricherOptions, type ProcessorConfig } from '../config/processor-settings.js';
import type { ProcessorTotals } from '../create-processor.js';
import { loadEnricher } from '../enrich/load-enricher.js';
import { createClickHouseEventStore } from '../load/clickhouse-event-store.js';
import { replayFromArchive, type ReplayReport } from './replay-from-archive.js';
import { replayFromLog } from './replay-from-log.js';

/**
 * The one replay behind `spoor replay` and `npm run replay -w @spoor/processor`: the same flags, the same settings,
 * the same adapters (openStore / openEventLog: Kafka with KAFKA_BROKERS, else the file log in SPOOR_DATA_DIR).
 */
export type ReplaySource = 'archive' | 'log';

export const REPLAY_USAGE = '[--source archive|log] [--keep]';

export interface ReplayFlags {
  source: ReplaySource;
  /** --keep: fill only what is missing instead of emptying the derived tables first. */
  keep: boolean;
  /** Deprecated spellings that were used (print them). */
  warnings: string[];
}

/** `--source archive|log` (`kafka`: the deprecated name of `log`, read with a warning) and `--keep`. */
export function parseReplayFlags(args: string[]): ReplayFlags {
  const { values } = parseArgs({ args, options: { source: { type: 'string', default: 'archive' }, keep: { type: 'boolean', default: false } } });
  const warnings: string[] = [];
  let source = values.source;
  if (source === 'kafka') {
    warnings.push('--source kafka is deprecated: use --source log (Kafka with KAFKA_BROKERS, else the file log)');
    source = 'log';
  }
  if (source !== 'archive' && source !== 'log') throw new Error(`invalid --source: ${JSON.stringify(values.source)} (accepted: archive, log)`);
  return { source, keep: values.keep, warnings };
}

export interface RunReplayOptions {
  source: ReplaySource;
  truncate: boolean;
  /** Archive only: the number of archived events, before the first page. */
  onArchiveTotal?: (total: number) => void;
  onArchiveProgress?: (read: number) => void;
  /** Log only: stop after this long without a new message (default 15 s). */
  quietMs?: number;
}

export type ReplayOutcome = { source: 'archive'; report: ReplayReport } | { source: 'log'; totals: ProcessorTotals };

export async function runReplay(config: ProcessorConfig, options: RunReplayOptions): Promise<ReplayOutcome> {
  // Migrated (a replay may be the first thing run after an upgrade), retention left as the services set it.
  const { client, clickhouse } = await openStore(config, { migrate: true });
  try {
    const store = createClickHouseEventStore(client, clickhouse.database, { cluster: clusterOf(clickhouse) });
    const enrich = await loadEnricher(enricherOptions(config));
    if (options.source === 'archive') {
      if (options.onArchiveTotal) {
        const [{ n } = { n: 0 }] = await (
          await client.query({ query: 'SELECT count() AS n FROM {db:Identifier}.raw_events', query_params: { db: clickhouse.database }, format: 'JSONEachRow' })
        ).json<{ n: number | string }>();
        options.onArchiveTotal(Number(n));
      }
      const report = await replayFromArchive({ client, database: clickhouse.database, store, enrich, truncate: options.truncate, onProgress: options.onArchiveProgress });
      return { source: 'archive', report };
    }
    const { log } = openEventLog(config, 'replay');
    try {
      const totals = await replayFromLog({ config, eventLog: log, client, database: clickhouse.database, store, enrich, truncate: options.truncate, quietMs: options.quietMs });
      return { source: 'log', totals };
    } finally {
      await log.close();
    }
  } finally {
    await client.close();
  }
}
