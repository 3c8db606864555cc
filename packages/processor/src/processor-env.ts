import { z } from 'zod';
import { TOPICS } from '@spoor/events';
import { DEFAULT_LOG_RETENTION_HOURS, DEFAULT_RETENTION_DAYS, MAX_LOG_RETENTION_HOURS, MAX_RETENTION_DAYS } from '@spoor/infra';
import type { EnricherOptions } from './enrich/load-enricher.js';

const optionalText = z.string().trim().min(1).optional();
const positiveInt = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

/** Everything main.ts reads from the environment, parsed once; a bad value names the variable. */
export const processorEnvSchema = z.object({
  KAFKA_BROKERS: z.string().trim().min(1, 'KAFKA_BROKERS: required, e.g. 127.0.0.1:9092'),
  REDIS_URL: optionalText,
  CLICKHOUSE_URL: optionalText,
  CLICKHOUSE_DATABASE: optionalText,
  CLICKHOUSE_CLUSTER: optionalText,
  SPOOR_DATA_DIR: optionalText,
  GEOIP_DB: optionalText,
  GEOIP_DISABLED: z.enum(['0', '1', 'true', 'false']).optional(),
  SPOOR_TOPIC_RAW: z.string().default(TOPICS.raw),
  SPOOR_TOPIC_DLQ: z.string().default(TOPICS.deadLetter),
  /** Partitions of the raw topic when the processor has to create it. */
  SPOOR_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1024).default(12),
  PROCESSOR_GROUP_ID: z.string().default('spoor-processor'),
  PROCESSOR_SESSION_TIMEOUT_MS: positiveInt(30_000),
  PROCESSOR_MAX_EVENTS_PER_INSERT: positiveInt(30_000),
  PROCESSOR_MAX_WAIT_MS: positiveInt(500),
  /** /readyz turns 503 once one load has been failing this long (create-processor.ts, failingReadinessMs). */
  PROCESSOR_FAILING_READY_MS: positiveInt(30_000),
  PROCESSOR_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  IP_ANONYMISATION: z.enum(['truncate', 'drop']).default('truncate'),
  IP_V4_PREFIX_BITS: z.coerce.number().int().min(0).max(32).default(24),
  IP_V6_PREFIX_BITS: z.coerce.number().int().min(0).max(128).default(48),
  UA_CACHE_SIZE: positiveInt(10_000),
  MIGRATE_ON_START: z.enum(['0', '1', 'true', 'false']).default('1'),
  /** Days ClickHouse keeps event data of sites without their own setting; applied with the migrations (docs/retention.md). */
  SPOOR_RETENTION_DAYS: z.coerce.number().int().min(0).max(MAX_RETENTION_DAYS).default(DEFAULT_RETENTION_DAYS),
  /** Hours the raw and dead-letter topics keep a record (their retention.ms, set when ensuring the topics). */
  SPOOR_LOG_RETENTION_HOURS: z.coerce.number().int().min(1).max(MAX_LOG_RETENTION_HOURS).default(DEFAULT_LOG_RETENTION_HOURS),
});

export type ProcessorEnv = z.infer<typeof processorEnvSchema>;

export function parseProcessorEnv(env: NodeJS.ProcessEnv): ProcessorEnv {
  const parsed = processorEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`invalid processor environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

export const isTrue = (v: string | undefined) => v === '1' || v === 'true';

/** The enrichment settings main.ts and the replay command share. */
export function enricherOptionsFromEnv(env: ProcessorEnv): EnricherOptions {
  return {
    geo: !isTrue(env.GEOIP_DISABLED),
    geoDatabases: env.GEOIP_DB ? env.GEOIP_DB.split(',').map((p) => p.trim()) : [],
    userAgentCacheSize: env.UA_CACHE_SIZE,
    ipAnonymisation: { mode: env.IP_ANONYMISATION, ipv4PrefixBits: env.IP_V4_PREFIX_BITS, ipv6PrefixBits: env.IP_V6_PREFIX_BITS },
  };
}
