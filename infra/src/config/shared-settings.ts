import { z } from 'zod';
import { DEFAULT_RETENTION_DAYS, MAX_RETENTION_DAYS } from '../clickhouse/apply-retention.js';
import { DEFAULT_LOG_RETENTION_HOURS, MAX_LOG_RETENTION_HOURS } from '../event-log/file-log-retention.js';
import { brokerList, flag, integer, optionalText, text, topicName, type DeprecatedAlias } from './config-types.js';

const RAW_TOPIC = 'spoor.raw';
const DLQ_TOPIC = 'spoor.dlq';

/**
 * The settings every Spoor service shares: one name, one default, one meaning. Services extend this object with
 * their own (collector-settings.ts, processor-settings.ts, query-api-settings.ts); the `spoor` command reads the
 * union. docs/configuration.md is the table of all of them (a test compares it with the schemas).
 */
export const sharedSettings = {
  HOST: text().default('127.0.0.1').describe('Address the HTTP server listens on; 0.0.0.0 to accept other machines.'),
  PORT: integer(8080, 0, 65535).describe('HTTP port (0: any free port).'),
  SPOOR_DATA_DIR: text().default('.spoor').describe('Directory of the embedded log, chDB, generated secrets and the admin token (mode 0700).'),
  SPOOR_PUBLIC_URL: z.url({ error: 'an absolute http(s) URL, e.g. https://t.example.com' }).optional().describe('The URL shoppers reach Spoor at (links, snippet, allowed origins of the demo).'),
  KAFKA_BROKERS: brokerList().describe('Kafka bootstrap servers host:port,…; unset: the durable file log in the data dir.'),
  KAFKA_CLIENT_ID: text().default('spoor').describe('Kafka client id prefix.'),
  KAFKA_COMPRESSION: z.enum(['snappy', 'gzip', 'none'], { error: 'snappy, gzip or none' }).default('snappy').describe('Compression of produced batches.'),
  SPOOR_TOPIC_RAW: topicName(RAW_TOPIC).describe('Topic of accepted events.'),
  SPOOR_TOPIC_DLQ: topicName(DLQ_TOPIC).describe('Topic of dead letters.'),
  SPOOR_TOPIC_PARTITIONS: integer(6, 1, 1024).describe('Partitions of the raw topic when Spoor creates it on Kafka (the file log has one).'),
  SPOOR_LOG_RETENTION_HOURS: integer(DEFAULT_LOG_RETENTION_HOURS, 1, MAX_LOG_RETENTION_HOURS).describe('Hours the log keeps a record (raw and dead-letter topics).'),
  CLICKHOUSE_URL: optionalText().describe('A ClickHouse server http(s)://user:pass@host:8123; unset: embedded chDB in the data dir.'),
  CLICKHOUSE_DATABASE: text().default('spoor').describe('Database of the Spoor tables.'),
  CLICKHOUSE_CLUSTER: optionalText().describe('Cluster name: migrations run ON CLUSTER with Replicated engines (server only).'),
  REDIS_URL: z.url({ error: 'a redis:// or rediss:// URL' }).optional().describe('Shared state (dedupe, identity, rate limits, sessions); unset: in-process.'),
  IP_ANONYMISATION: z.enum(['truncate', 'drop'], { error: 'truncate or drop' }).default('truncate').describe('How much of the client address is kept, before the log and in the store.'),
  IP_V4_PREFIX_BITS: integer(24, 0, 32).describe('IPv4 bits kept when truncating.'),
  IP_V6_PREFIX_BITS: integer(48, 0, 128).describe('IPv6 bits kept when truncating.'),
  SPOOR_RETENTION_DAYS: integer(DEFAULT_RETENTION_DAYS, 0, MAX_RETENTION_DAYS).describe('Days the store keeps event data of sites without their own setting; 0 keeps it forever.'),
  MIGRATE_ON_START: flag(true).describe('Apply ClickHouse migrations at start (idempotent); off when a deploy step does it.'),
  SHUTDOWN_DRAIN_MS: integer(10_000, 0, 600_000).describe('How long a stopping server lets in-flight requests finish.'),
  DEBUG: flag(false).describe('Print stack traces with start-up and fatal errors.'),
} as const;

/** Spellings of earlier versions, still read (with a warning) until the next major version. */
export const deprecatedAliases: readonly DeprecatedAlias[] = [
  { alias: 'SPOOR_RAW_TOPIC', name: 'SPOOR_TOPIC_RAW' },
  { alias: 'SPOOR_DLQ_TOPIC', name: 'SPOOR_TOPIC_DLQ' },
  { alias: 'KAFKA_TOPIC_PARTITIONS', name: 'SPOOR_TOPIC_PARTITIONS' },
  { alias: 'SPOOR_PROCESSOR_GROUP', name: 'PROCESSOR_GROUP_ID' },
  { alias: 'SPOOR_LINK_SECRET', name: 'LINK_SIGNING_SECRETS' },
  { alias: 'SPOOR_MIGRATE', name: 'MIGRATE_ON_START' },
  { alias: 'CLICKHOUSE_DATA_DIR', name: 'SPOOR_DATA_DIR' },
];

export const sharedSettingsSchema = z.object(sharedSettings);
export type SharedConfig = z.infer<typeof sharedSettingsSchema>;
