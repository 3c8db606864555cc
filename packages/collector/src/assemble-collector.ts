import type { ClickHouseClient } from '@clickhouse/client';
import type { Hono } from 'hono';
import { Redis } from 'ioredis';
import type { EventLog, KeyValue } from '@spoor/infra';
import type { CollectorConfig } from './config/collector-settings.js';
import { resolveLinkSecrets } from './config/link-secrets.js';
import { createCollector } from './create-collector.js';
import { createClickHouseImportAuthenticator } from './ingest/clickhouse-import-keys.js';
import { createCollectorMetrics } from './ops/collector-metrics.js';
import { createCoalescingProducer } from './produce/coalescing-producer.js';
import { createRateLimits, unlimited, type RateLimits } from './rate-limit/rate-limits.js';
import { createCachedSiteRegistry } from './sites/cached-site-registry.js';
import { createClickHouseSiteRegistry } from './sites/clickhouse-site-registry.js';
import { loadSitesFile } from './sites/file-site-registry.js';
import type { SiteRegistry } from './sites/site-registry.js';

/** What the entry point opened (infra config/open-adapters.ts) and hands to the collector. */
export interface CollectorAdapters {
  log: EventLog;
  /** The store: the sites table (unless SITES_FILE) and the API keys of /v1/import. */
  store?: { client: ClickHouseClient; database: string };
  /** Shared state for identity-token bindings: what openKeyValue opened (Redis with REDIS_URL, else in-process). */
  keyValue: KeyValue;
}

export interface AssembledCollector {
  app: Hono;
  /** Call when graceful shutdown starts: /readyz answers 503 so the load balancer stops sending. */
  startShutdown(): void;
  /** Flush what was accepted and release what this function opened; call after the HTTP server drained. */
  close(): Promise<void>;
}

/**
 * The collector from its settings and adapters: every entry point (`src/main.ts`, `spoor start`, `spoor collector`)
 * calls this, so rate limits, trusted proxies, IP anonymisation, topics and /v1/import are the same under all.
 */
export async function assembleCollector(config: CollectorConfig, adapters: CollectorAdapters): Promise<AssembledCollector> {
  const linkSecrets = resolveLinkSecrets(config);
  // Several idempotent producers (lanes), each with one send in flight: see createCoalescingProducer.
  const producers = await Promise.all(Array.from({ length: config.PRODUCER_LANES }, () => adapters.log.producer()));
  const metrics = createCollectorMetrics();
  const producer = createCoalescingProducer(producers, { lingerMs: config.PRODUCER_LINGER_MS, ackTimeoutMs: config.PRODUCER_ACK_TIMEOUT_MS, onSend: metrics.observeSend });
  const rateLimitRedis = config.RATE_LIMITS && config.REDIS_URL ? await connectRateLimitRedis(config.REDIS_URL) : undefined;
  let shuttingDown = false;
  const app = createCollector({
    producer,
    logReachable: () => adapters.log.ping(),
    sites: createCachedSiteRegistry(siteRegistry(config, adapters), { ttlMs: config.SITES_CACHE_TTL_SECONDS * 1000 }),
    linkSecrets,
    collectorId: config.COLLECTOR_ID,
    topics: { raw: config.SPOOR_TOPIC_RAW, deadLetter: config.SPOOR_TOPIC_DLQ },
    trustedProxies: config.TRUSTED_PROXIES,
    ipAnonymisation: { mode: config.IP_ANONYMISATION, ipv4PrefixBits: config.IP_V4_PREFIX_BITS, ipv6PrefixBits: config.IP_V6_PREFIX_BITS },
    rateLimits: rateLimits(config, rateLimitRedis),
    metrics,
    openClassifier: { extraMachineRanges: config.MACHINE_OPEN_RANGES },
    identityTokenTtlMs: config.IDENTITY_TOKEN_TTL_SECONDS * 1000,
    keyValue: adapters.keyValue,
    // Without a store there are no API keys to check: /v1/import then does not exist (SITES_FILE without a store).
    ...(adapters.store ? { authenticateImport: createClickHouseImportAuthenticator(adapters.store.client, adapters.store.database) } : {}),
    retryAfterSeconds: config.RETRY_AFTER_SECONDS,
    isShuttingDown: () => shuttingDown,
  });
  return {
    app,
    startShutdown: () => {
      shuttingDown = true;
    },
    async close() {
      await producer.drain();
      await Promise.all(producers.map((p) => p.close()));
      rateLimitRedis?.disconnect();
    },
  };
}

function siteRegistry(config: CollectorConfig, adapters: CollectorAdapters): SiteRegistry {
  if (config.SITES_FILE) return loadSitesFile(config.SITES_FILE);
  if (!adapters.store) throw new Error('assembleCollector: without SITES_FILE the collector needs the store (its sites table)');
  return createClickHouseSiteRegistry(adapters.store.client, adapters.store.database);
}

function rateLimits(config: CollectorConfig, redis: Redis | undefined): RateLimits {
  if (!config.RATE_LIMITS) return unlimited;
  return createRateLimits({
    perIp: { perSecond: config.RATE_LIMIT_IP_PER_SECOND, burst: config.RATE_LIMIT_IP_BURST },
    perSite: { perSecond: config.RATE_LIMIT_SITE_EVENTS_PER_SECOND, burst: config.RATE_LIMIT_SITE_EVENTS_BURST },
    redis,
    ...(config.RATE_LIMIT_LEASES ? {} : { leasePoints: { ip: 1, site: 1 } }),
  });
}

/**
 * Rate limits need their own client: auto-pipelining sends the checks of concurrent requests in one write (a
 * measurable share of the collector's CPU per request otherwise), and commands fail fast when Redis is down so the
 * in-process insurance limiter takes over instead of requests queueing.
 */
async function connectRateLimitRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
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
  return redis;
}
