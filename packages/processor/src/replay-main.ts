/**
 * npm run replay -w @spoor/processor -- [--source archive|log] [--keep] [--env-file <path>]   (the same as `spoor replay`)
 * Rebuilds the derived tables (events, orders, order_items, identities → sessions) from the record of truth:
 *  - archive (default): the raw_events table, complete however long the log retains;
 *  - log: the raw topic from the earliest offset (Kafka with KAFKA_BROKERS, else the file log in SPOOR_DATA_DIR),
 *    under a fresh consumer group (stops after 15 s without news). `--source kafka` is its deprecated name.
 * Derived tables are emptied first unless --keep; either way the per-table existence checks make a replay that is
 * interrupted and run again, or overlaps the live processor, count every event once. Redis is not consulted: the
 * seen-set says "stored", which a truncated table no longer is.
 */
import { environmentWithFile, runMain, takeEnvFileArgument } from '@spoor/infra';
import { parseProcessorConfig } from './config/processor-settings.js';
import { parseReplayFlags, runReplay } from './replay/run-replay.js';

runMain('replay', async () => {
  const { envFile, rest } = takeEnvFileArgument(process.argv.slice(2));
  const flags = parseReplayFlags(rest);
  const { config, warnings } = parseProcessorConfig(environmentWithFile(process.env, envFile));
  for (const warning of [...warnings, ...flags.warnings]) console.warn(`[replay] ${warning}`);
  const outcome = await runReplay(config, { source: flags.source, truncate: !flags.keep, onArchiveProgress: (n) => console.log(`[replay] ${n} archived events read`) });
  console.log(`[replay] done: ${JSON.stringify(outcome.source === 'archive' ? outcome.report : outcome.totals)}`);
  process.exit(0);
});
