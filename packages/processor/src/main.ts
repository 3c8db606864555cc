import { applyRetention, connectRedisKeyValue, createClickHouse, createKafkaEventLog, migrate, normaliseClickHouseConfig } from '@spoor/infra';
import { createProcessor } from './create-processor.js';
import { loadEnricher } from './enrich/load-enricher.js';
import { createHealthServer } from './health-server.js';
import { createClickHouseEventStore } from './load/clickhouse-event-store.js';
import { enricherOptionsFromEnv, isTrue, parseProcessorEnv } from './processor-env.js';

const env = parseProcessorEnv(process.env);
const clickhouseConfig = normaliseClickHouseConfig({ url: env.CLICKHOUSE_URL, dataDir: env.SPOOR_DATA_DIR, database: env.CLICKHOUSE_DATABASE, cluster: env.CLICKHOUSE_CLUSTER });
const clickhouse = createClickHouse(clickhouseConfig);
if (isTrue(env.MIGRATE_ON_START)) {
  const schema = { database: clickhouseConfig.database, cluster: clickhouseConfig.kind === 'server' ? clickhouseConfig.cluster : undefined };
  await migrate(clickhouse, schema);
  await applyRetention(clickhouse, { ...schema, defaultDays: env.SPOOR_RETENTION_DAYS });
}

const log = createKafkaEventLog({ brokers: env.KAFKA_BROKERS.split(',').map((b) => b.trim()), clientId: 'spoor-processor' });
// Topics normally exist (the collector or an operator made them); creating them here makes a fresh install start in any order.
const retentionMs = env.SPOOR_LOG_RETENTION_HOURS * 3_600_000;
await log.ensureTopics([
  { name: env.SPOOR_TOPIC_RAW, partitions: env.SPOOR_TOPIC_PARTITIONS, retentionMs },
  { name: env.SPOOR_TOPIC_DLQ, partitions: 1, retentionMs },
]);
const keyValue = env.REDIS_URL ? await connectRedisKeyValue({ url: env.REDIS_URL }) : null;
const enrich = await loadEnricher(enricherOptionsFromEnv(env));

const processor = createProcessor({
  log,
  store: createClickHouseEventStore(clickhouse, clickhouseConfig.database),
  enrich,
  keyValue,
  groupId: env.PROCESSOR_GROUP_ID,
  topics: { raw: env.SPOOR_TOPIC_RAW, deadLetter: env.SPOOR_TOPIC_DLQ },
  sessionTimeoutMs: env.PROCESSOR_SESSION_TIMEOUT_MS,
  maxEventsPerInsert: env.PROCESSOR_MAX_EVENTS_PER_INSERT,
  fetch: { maxWaitMs: env.PROCESSOR_MAX_WAIT_MS },
  failingReadinessMs: env.PROCESSOR_FAILING_READY_MS,
  onRetry: (error, attempt, stage) => {
    if (attempt === 1 || attempt % 10 === 0) console.error(`[processor] ${stage} failed (attempt ${attempt}), retrying the same batch: ${error.message}`);
  },
  onFatal: (error) => {
    // The consumer gave up (could not rejoin its group): exit non-zero so the supervisor restarts us.
    console.error(`[processor] consumer crashed for good: ${error.message}`);
    process.exit(1);
  },
});

// Counts and reason codes only; the store's error text (it can quote event contents) is in stderr (onRetry above).
if (env.PROCESSOR_HEALTH_PORT !== undefined) createHealthServer(processor).listen(env.PROCESSOR_HEALTH_PORT);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void processor
      .stop()
      .then(() => Promise.allSettled([log.close(), keyValue?.close(), clickhouse.close()]))
      .finally(() => process.exit(0));
  });
}

await processor.start();
console.log(`[processor] consuming ${env.SPOOR_TOPIC_RAW} as group ${env.PROCESSOR_GROUP_ID}`);
