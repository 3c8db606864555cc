import { chmodSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { Hono } from 'hono';
import {
  connectRedisKeyValue,
  createFileEventLog,
  createKafkaEventLog,
  createMemoryKeyValue,
  type EventLog,
  type KeyValue,
} from '@spoor/infra';
import {
  createCachedSiteRegistry,
  createClickHouseSiteRegistry,
  createCoalescingProducer,
  createCollector,
  createRateLimits,
  type ImportAuthenticator,
} from '@spoor/collector';
import { createClickHouseEventStore, createProcessor, eraseFromLog, loadEnricher, type Processor } from '@spoor/processor';
import { createClickHouseApiKeyStore, createQueryApi, createQueryRunner, hashApiKey, type ErasureHook } from '@spoor/query-api';
import { openClickHouse } from '../clickhouse-from-env.js';
import type { SpoorEnv } from '../spoor-env.js';
import { ensureDemoSite } from './demo-site.js';
import { apiNotFound, demoStoreRoutes } from './demo-store-routes.js';
import { linkSecrets } from './link-secret.js';
import { createLocalAdmin, type LocalAdmin } from '../admin/admin-file.js';

export type Role = 'collector' | 'processor' | 'query-api' | 'demo';

export interface ComposedSpoor {
  /** The HTTP surface of the chosen roles (a processor alone still answers /healthz and /readyz). */
  app: Hono;
  /** The store this process opened (chDB allows one per process, so tests read through this one). */
  clickhouse: { client: ClickHouseClient; database: string };
  processor?: Processor;
  /** The local admin token of this start, when it serves the admin API (query-api role): published as admin.json. */
  localAdmin?: LocalAdmin;
  /** Lines worth printing at start: what runs where, and the demo keys on first start. */
  banner: string[];
  /** Releases everything in dependency order; call after the HTTP server drained. */
  close(): Promise<void>;
}

/**
 * Spoor as one process: the same createCollector / createProcessor / createQueryApi pieces the separate services
 * use, over the adapters the environment picks. Unset KAFKA_BROKERS → the durable file log in the data dir;
 * unset CLICKHOUSE_URL → chDB in the data dir; unset REDIS_URL → in-process state.
 */
export async function composeSpoor(env: SpoorEnv, roles: ReadonlySet<Role>, publicOrigins: string[]): Promise<ComposedSpoor> {
  const dataDir = resolve(env.SPOOR_DATA_DIR);
  // The data dir holds events, keys and the link secret: the owner's only.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const banner: string[] = [];
  const ipAnonymisation = { mode: env.IP_ANONYMISATION, ipv4PrefixBits: env.IP_V4_PREFIX_BITS, ipv6PrefixBits: env.IP_V6_PREFIX_BITS };
  const closers: Array<() => Promise<unknown>> = [];
  const { client, config } = await openClickHouse(env, { applyRetention: true });
  closers.push(() => client.close());
  banner.push(`store: ${config.kind === 'server' ? 'ClickHouse server' : `chDB at ${config.path}`} (database ${config.database})`);

  let log: EventLog | undefined;
  if (roles.has('collector') || roles.has('processor')) {
    log = env.KAFKA_BROKERS
      ? createKafkaEventLog({ brokers: env.KAFKA_BROKERS.split(',').map((b) => b.trim()), clientId: 'spoor' })
      : createFileEventLog({ dir: join(dataDir, 'log') });
    const retentionMs = env.SPOOR_LOG_RETENTION_HOURS * 3_600_000;
    await log.ensureTopics([
      { name: env.SPOOR_TOPIC_RAW, partitions: env.KAFKA_BROKERS ? 6 : 1, retentionMs },
      { name: env.SPOOR_TOPIC_DLQ, partitions: 1, retentionMs },
    ]);
    closers.unshift(() => log!.close());
    banner.push(`log: ${env.KAFKA_BROKERS ? `Kafka at ${env.KAFKA_BROKERS}` : `file log at ${join(dataDir, 'log')} (fsync before every 2xx)`}`);
  }
  let keyValue: KeyValue | undefined;
  if (roles.has('processor') || roles.has('collector')) {
    keyValue = env.REDIS_URL ? await connectRedisKeyValue({ url: env.REDIS_URL }) : createMemoryKeyValue();
    closers.unshift(() => keyValue!.close());
    banner.push(`state: ${env.REDIS_URL ? `Redis at ${env.REDIS_URL}` : 'in-process'}`);
  }

  const app = new Hono();
  let processor: Processor | undefined;
  if (roles.has('processor')) {
    processor = createProcessor({
      log: log!,
      store: createClickHouseEventStore(client, config.database),
      enrich: await loadEnricher({ geoDatabases: env.GEOIP_DB ? env.GEOIP_DB.split(',').map((p) => p.trim()) : [], ipAnonymisation }),
      keyValue: keyValue ?? null,
      groupId: env.SPOOR_PROCESSOR_GROUP,
      topics: { raw: env.SPOOR_TOPIC_RAW, deadLetter: env.SPOOR_TOPIC_DLQ },
      onRetry: (error, attempt, stage) => {
        if (attempt === 1 || attempt % 10 === 0) console.error(`[processor] ${stage} failed (attempt ${attempt}), retrying the same batch: ${error.message}`);
      },
      onFatal: (error) => {
        console.error(`[processor] consumer crashed for good: ${error.message}`);
        process.exit(1);
      },
    });
    closers.unshift(() => processor!.stop());
  }
  // Health of the whole process: the log answers and, when this process processes, batches flow.
  app.get('/healthz', (c) => c.json({ ok: true, roles: [...roles] }));
  app.get('/readyz', async (c) => {
    const logOk = log ? await log.ping() : true;
    // Counts and reason codes only: the store's error text can quote event contents (it is in the server log).
    const health = processor?.health();
    const processorOk = health ? health.ready : true;
    return c.json({ ready: logOk && processorOk, log: logOk, processor: health }, logOk && processorOk ? 200 : 503);
  });

  const runner = createQueryRunner({ client, database: config.database, maxExecutionTimeSeconds: 30 });
  const apiKeys = createClickHouseApiKeyStore(runner);
  if (roles.has('collector')) {
    const producer = createCoalescingProducer([await log!.producer()], {});
    closers.unshift(() => producer.drain());
    const authenticateImport: ImportAuthenticator = async (key) => {
      const record = await apiKeys.findByHash(hashApiKey(key));
      return record && { keyId: record.keyId, siteIds: record.siteIds };
    };
    app.route(
      '/',
      createCollector({
        producer,
        logReachable: () => log!.ping(),
        sites: createCachedSiteRegistry(createClickHouseSiteRegistry(client, config.database), { ttlMs: 5_000 }),
        linkSecrets: linkSecrets(dataDir, env.SPOOR_LINK_SECRET),
        collectorId: `${hostname()}-${process.pid}`,
        trustedProxies: env.TRUSTED_PROXIES.split(',').map((p) => p.trim()).filter(Boolean),
        ipAnonymisation,
        topics: { raw: env.SPOOR_TOPIC_RAW, deadLetter: env.SPOOR_TOPIC_DLQ },
        rateLimits: createRateLimits({ perIp: { perSecond: 200, burst: 2_000 }, perSite: { perSecond: 20_000, burst: 200_000 } }),
        authenticateImport,
        ...(keyValue ? { keyValue } : {}),
      }),
    );
  }
  // An erasure also rewrites this process's log (the file log: the person's records go; on Kafka it says what the
  // register guarantees instead).
  const erasureHooks: ErasureHook[] = log
    ? [{ name: 'event-log', run: (subject) => eraseFromLog(log!, { raw: env.SPOOR_TOPIC_RAW, deadLetter: env.SPOOR_TOPIC_DLQ }, subject) }]
    : [];
  const localAdmin = roles.has('query-api') ? createLocalAdmin() : undefined;
  if (localAdmin) app.route('/', createQueryApi({ clickhouse: client, database: config.database, apiKeyStore: apiKeys, erasureHooks, authenticators: [localAdmin.authenticator] }));
  if (roles.has('demo')) {
    const { keys, created } = await ensureDemoSite(client, config.database, dataDir, publicOrigins);
    if (created) {
      banner.push('', 'First start: created the demo site. Keep these (also saved in ' + join(dataDir, 'demo-keys.json') + '):');
      banner.push(JSON.stringify(keys, null, 2));
    }
    app.route('/', demoStoreRoutes(keys.writeKey));
  }
  // Unknown paths answer like the services do (JSON), whichever roles run.
  app.notFound((c) => c.json(apiNotFound(c.req.method, c.req.path), 404));
  return {
    app,
    clickhouse: { client, database: config.database },
    ...(processor ? { processor } : {}),
    ...(localAdmin ? { localAdmin } : {}),
    banner,
    async close() {
      for (const close of closers) await close().catch((err) => console.error(`[spoor] shutdown: ${(err as Error).message}`));
    },
  };
}
