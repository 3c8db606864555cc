import { chmodSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { applyRetention } from '../clickhouse/apply-retention.js';
import { normaliseClickHouseConfig, type ClickHouseConfig } from '../clickhouse/clickhouse-config.js';
import { createClickHouse } from '../clickhouse/create-clickhouse.js';
import { migrate } from '../clickhouse/migrate.js';
import type { EventLog } from '../event-log/event-log.js';
import { createFileEventLog } from '../event-log/file-event-log.js';
import { createKafkaEventLog } from '../event-log/kafka-event-log.js';
import type { KeyValue } from '../key-value/key-value.js';
import { createMemoryKeyValue } from '../key-value/memory-key-value.js';
import { connectRedisKeyValue } from '../key-value/redis-key-value.js';
import type { SharedConfig } from './shared-settings.js';
import { StartUpError } from './start-up-error.js';

/**
 * The one place that turns settings into adapters: Kafka or the file log, a ClickHouse server or chDB, Redis or
 * in-process state. Every entry point (service mains, `spoor` roles, replay, drills) opens its adapters here and
 * hands them to its service's assemble function, so no two entry points can pick differently from one .env.
 */

/** The data dir holds events, keys and secrets: the owner's only. */
export function ensureDataDir(config: Pick<SharedConfig, 'SPOOR_DATA_DIR'>): string {
  const dir = resolve(config.SPOOR_DATA_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

export interface OpenedEventLog {
  log: EventLog;
  /** What was opened, for the start banner. */
  description: string;
  kind: 'kafka' | 'file';
}

export function openEventLog(config: SharedConfig, clientId: string): OpenedEventLog {
  if (config.KAFKA_BROKERS.length) {
    return {
      log: createKafkaEventLog({ brokers: config.KAFKA_BROKERS, clientId: `${config.KAFKA_CLIENT_ID}-${clientId}`, compression: config.KAFKA_COMPRESSION }),
      description: `Kafka at ${config.KAFKA_BROKERS.join(',')}`,
      kind: 'kafka',
    };
  }
  const dir = join(ensureDataDir(config), 'log');
  return { log: createFileEventLog({ dir }), description: `file log at ${dir} (fsync before every 2xx)`, kind: 'file' };
}

/** The raw and dead-letter topics with the configured partitions and retention (idempotent; any service may start first). */
export async function ensureSpoorTopics(log: EventLog, config: SharedConfig, kind: OpenedEventLog['kind']): Promise<void> {
  const retentionMs = config.SPOOR_LOG_RETENTION_HOURS * 3_600_000;
  try {
    await log.ensureTopics([
      { name: config.SPOOR_TOPIC_RAW, partitions: kind === 'kafka' ? config.SPOOR_TOPIC_PARTITIONS : 1, retentionMs },
      { name: config.SPOOR_TOPIC_DLQ, partitions: 1, retentionMs },
    ]);
  } catch (err) {
    // The first contact with the log at start: name the setting that points at it.
    if (kind === 'kafka') throw new StartUpError('KAFKA_BROKERS', config.KAFKA_BROKERS.join(','), `Kafka unreachable or refused the topics (${firstLine(err)})`, { cause: err });
    throw new StartUpError('SPOOR_DATA_DIR', config.SPOOR_DATA_DIR, `the file log cannot be opened (${firstLine(err)})`, { cause: err });
  }
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300);
}

export interface OpenedKeyValue {
  keyValue: KeyValue;
  description: string;
  shared: boolean;
}

export async function openKeyValue(config: SharedConfig): Promise<OpenedKeyValue> {
  if (config.REDIS_URL) {
    try {
      return { keyValue: await connectRedisKeyValue({ url: config.REDIS_URL }), description: `Redis at ${redactUrl(config.REDIS_URL)}`, shared: true };
    } catch (err) {
      throw new StartUpError('REDIS_URL', redactUrl(config.REDIS_URL), `Redis unreachable (${firstLine(err)})`, { cause: err });
    }
  }
  return { keyValue: createMemoryKeyValue(), description: 'in-process', shared: false };
}

export interface OpenedStore {
  client: ClickHouseClient;
  clickhouse: ClickHouseConfig;
  description: string;
}

export interface OpenStoreOptions {
  /** Apply migrations (MIGRATE_ON_START decides for services; admin commands always migrate). */
  migrate?: boolean;
  /** Bring table TTLs to SPOOR_RETENTION_DAYS (the services and `spoor migrate`; not read-only commands). */
  applyRetention?: boolean;
  maxExecutionTimeSeconds?: number;
}

export async function openStore(config: SharedConfig, options: OpenStoreOptions = {}): Promise<OpenedStore> {
  const clickhouse = normaliseClickHouseConfig({
    url: config.CLICKHOUSE_URL,
    dataDir: config.SPOOR_DATA_DIR,
    database: config.CLICKHOUSE_DATABASE,
    cluster: config.CLICKHOUSE_CLUSTER,
    maxExecutionTimeSeconds: options.maxExecutionTimeSeconds,
  });
  if (clickhouse.kind === 'embedded') ensureDataDir(config);
  const client = createClickHouse(clickhouse);
  if (clickhouse.kind === 'server') {
    // Fail with the setting's name rather than a migration's stack when the server does not answer.
    const ping = await client.ping();
    if (!ping.success) {
      await client.close().catch(() => undefined);
      throw new StartUpError('CLICKHOUSE_URL', redactUrl(clickhouse.url), `ClickHouse unreachable (${firstLine(ping.error)})`, { cause: ping.error });
    }
  }
  const schema = { database: clickhouse.database, ...(clickhouse.kind === 'server' && clickhouse.cluster ? { cluster: clickhouse.cluster } : {}) };
  try {
    if (options.migrate ?? config.MIGRATE_ON_START) await migrate(client, schema);
    if (options.applyRetention) await applyRetention(client, { ...schema, defaultDays: config.SPOOR_RETENTION_DAYS });
  } catch (err) {
    await client.close().catch(() => undefined);
    throw err;
  }
  const description = clickhouse.kind === 'server' ? `ClickHouse server ${redactUrl(clickhouse.url)} (database ${clickhouse.database})` : `chDB at ${clickhouse.path} (database ${clickhouse.database})`;
  return { client, clickhouse, description };
}

/** A URL fit for a banner or a log line: no password. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}
