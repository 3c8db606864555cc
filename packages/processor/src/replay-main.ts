/**
 * npm run replay -w @spoor/processor -- [--source archive|kafka] [--keep]
 * Rebuilds the derived tables (events, orders, order_items, identities → sessions) from the record of truth:
 *  - archive (default): the raw_events table, complete however long Kafka retains;
 *  - kafka: the raw topic from the earliest offset, under a fresh consumer group (stops after 15 s without news).
 * Derived tables are emptied first unless --keep; either way the per-table existence checks make a replay that is
 * interrupted and run again, or overlaps the live processor, count every event once. Redis is not consulted: the
 * seen-set says "stored", which a truncated table no longer is.
 */
import { createClickHouse, createKafkaEventLog, migrate, normaliseClickHouseConfig } from '@spoor/infra';
import { loadEnricher } from './enrich/load-enricher.js';
import { createClickHouseEventStore } from './load/clickhouse-event-store.js';
import { enricherOptionsFromEnv, parseProcessorEnv } from './processor-env.js';
import { replayFromArchive } from './replay/replay-from-archive.js';
import { replayFromLog } from './replay/replay-from-log.js';

const args = process.argv.slice(2);
const source = args.includes('--source') ? args[args.indexOf('--source') + 1] : 'archive';
if (source !== 'archive' && source !== 'kafka') throw new Error(`--source: "${source}" (accepted: archive, kafka)`);
const truncate = !args.includes('--keep');
const env = parseProcessorEnv({ KAFKA_BROKERS: source === 'archive' ? 'unused:9092' : undefined, ...process.env });
const config = normaliseClickHouseConfig({ url: env.CLICKHOUSE_URL, dataDir: env.SPOOR_DATA_DIR, database: env.CLICKHOUSE_DATABASE, cluster: env.CLICKHOUSE_CLUSTER });
const client = createClickHouse(config);
await migrate(client, { database: config.database, cluster: config.kind === 'server' ? config.cluster : undefined });
const store = createClickHouseEventStore(client, config.database);
const enrich = await loadEnricher(enricherOptionsFromEnv(env));

if (source === 'archive') {
  const report = await replayFromArchive({ client, database: config.database, store, enrich, truncate, onProgress: (n) => console.log(`[replay] ${n} archived events read`) });
  console.log(`[replay] done: ${JSON.stringify(report)}`);
} else {
  const log = createKafkaEventLog({ brokers: env.KAFKA_BROKERS.split(','), clientId: 'spoor-replay' });
  const totals = await replayFromLog({ log, client, database: config.database, store, enrich, truncate, topics: { raw: env.SPOOR_TOPIC_RAW, deadLetter: env.SPOOR_TOPIC_DLQ } });
  await log.close();
  console.log(`[replay] done: ${JSON.stringify(totals)}`);
}
await client.close();
process.exit(0);
