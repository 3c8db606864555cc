import { connectRedisKeyValue, createClickHouse, createKafkaEventLog, normaliseClickHouseConfig } from '@spoor/infra';
import { Redis } from 'ioredis';
import { parseCollectorEnv } from './collector-env.js';
import { createCollector } from './create-collector.js';
import { createCollectorMetrics } from './ops/collector-metrics.js';
import { createCoalescingProducer } from './produce/coalescing-producer.js';
import { createRateLimits, unlimited } from './rate-limit/rate-limits.js';
import { serveCollector } from './serve-collector.js';
import { createCachedSiteRegistry } from './sites/cached-site-registry.js';
import { createClickHouseSiteRegistry } from './sites/clickhouse-site-registry.js';
import { loadSitesFile } from './sites/file-site-registry.js';
import type { SiteRegistry } from './sites/site-registry.js';

/** The collector process: reads the environment once, picks adapters, serves until SIGTERM/SIGINT. */
const env = parseCollectorEnv(process.env);

const eventLog = createKafkaEventLog({ brokers: env.KAFKA_BROKERS, clientId: env.KAFKA_CLIENT_ID, compression: env.KAFKA_COMPRESSION, logLevel: 'error' });
const retentionMs = env.SPOOR_LOG_RETENTION_HOURS * 3_600_000;
await eventLog.ensureTopics([
  { name: env.SPOOR_RAW_TOPIC, partitions: env.KAFKA_TOPIC_PARTITIONS, retentionMs },
  { name: env.SPOOR_DLQ_TOPIC, partitions: Math.min(env.KAFKA_TOPIC_PARTITIONS, 3), retentionMs },
]);
// Several idempotent producers (lanes), each with one send in flight: see createCoalescingProducer.
const kafkaProducers = await Promise.all(Array.from({ length: env.PRODUCER_LANES }, () => eventLog.producer()));
const metrics = createCollectorMetrics();
const producer = createCoalescingProducer(kafkaProducers, {
  lingerMs: env.PRODUCER_LINGER_MS,
  ackTimeoutMs: env.PRODUCER_ACK_TIMEOUT_MS,
  onSend: metrics.observeSend,
});

// Rate limits need their own client: auto-pipelining sends the checks of concurrent requests in one write
// (a measurable share of the collector's CPU per request otherwise), and commands fail fast when Redis is
// down so the in-process insurance limiter takes over instead of requests queueing.
let redis: Redis | undefined;
if (env.REDIS_URL && env.RATE_LIMITS) {
  redis = new Redis(env.REDIS_URL, {
    keyPrefix: 'spoor:collector:',
    enableAutoPipelining: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 500,
    lazyConnect: true,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  redis.on('error', () => {
    // Reported through failing commands (the insurance limiter answers); an unhandled 'error' would crash.
  });
  await redis.connect().catch(() => undefined);
}

// Identity tokens are bound to the first browser presenting them; with Redis the binding holds across instances.
const keyValue = env.REDIS_URL ? await connectRedisKeyValue({ url: env.REDIS_URL, prefix: 'spoor:collector:' }) : undefined;

let closeSites = async () => {};
let sites: SiteRegistry;
if (env.SITES_FILE) {
  sites = loadSitesFile(env.SITES_FILE);
} else {
  const config = normaliseClickHouseConfig({ url: env.CLICKHOUSE_URL, dataDir: env.CLICKHOUSE_DATA_DIR, database: env.CLICKHOUSE_DATABASE });
  const clickhouse = createClickHouse(config);
  closeSites = () => clickhouse.close();
  sites = createClickHouseSiteRegistry(clickhouse, config.database);
}

let shuttingDown = false;
const app = createCollector({
  producer,
  logReachable: () => eventLog.ping(),
  sites: createCachedSiteRegistry(sites, { ttlMs: env.SITES_CACHE_TTL_SECONDS * 1000 }),
  linkSecrets: env.linkSecrets,
  collectorId: env.COLLECTOR_ID,
  topics: { raw: env.SPOOR_RAW_TOPIC, deadLetter: env.SPOOR_DLQ_TOPIC },
  trustedProxies: env.TRUSTED_PROXIES,
  ipAnonymisation: { mode: env.IP_ANONYMISATION, ipv4PrefixBits: env.IP_V4_PREFIX_BITS, ipv6PrefixBits: env.IP_V6_PREFIX_BITS },
  rateLimits: env.RATE_LIMITS
    ? createRateLimits({
        perIp: { perSecond: env.RATE_LIMIT_IP_PER_SECOND, burst: env.RATE_LIMIT_IP_BURST },
        perSite: { perSecond: env.RATE_LIMIT_SITE_EVENTS_PER_SECOND, burst: env.RATE_LIMIT_SITE_EVENTS_BURST },
        redis,
        ...(env.RATE_LIMIT_LEASES ? {} : { leasePoints: { ip: 1, site: 1 } }),
      })
    : unlimited,
  metrics,
  openClassifier: { extraMachineRanges: env.MACHINE_OPEN_RANGES },
  identityTokenTtlMs: env.IDENTITY_TOKEN_TTL_SECONDS * 1000,
  ...(keyValue ? { keyValue } : {}),
  retryAfterSeconds: env.RETRY_AFTER_SECONDS,
  isShuttingDown: () => shuttingDown,
});

const running = await serveCollector({
  app,
  port: env.PORT,
  hostname: env.HOST,
  drainTimeoutMs: env.SHUTDOWN_DRAIN_MS,
  onDrained: async () => {
    await producer.drain();
    await Promise.all(kafkaProducers.map((p) => p.close()));
    await eventLog.close();
    redis?.disconnect();
    await keyValue?.close();
    await closeSites();
  },
});
console.log(`[collector] ${env.COLLECTOR_ID} listening on ${env.HOST}:${running.port}`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    shuttingDown = true;
    console.log(`[collector] ${signal}: draining`);
    running.shutdown().then(
      () => process.exit(0),
      (err) => {
        console.error('[collector] shutdown failed', err);
        process.exit(1);
      },
    );
  });
}
