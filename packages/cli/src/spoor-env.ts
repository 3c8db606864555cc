import { z } from 'zod';
import { TOPICS } from '@spoor/events';
import { DEFAULT_LOG_RETENTION_HOURS, DEFAULT_RETENTION_DAYS, MAX_LOG_RETENTION_HOURS, MAX_RETENTION_DAYS } from '@spoor/infra';

/**
 * Every environment variable Spoor reads, in one schema. Parsed once by main.ts; commands receive the result.
 * Unset Kafka / ClickHouse / Redis variables select the embedded defaults.
 */
export const spoorEnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  SPOOR_DATA_DIR: z.string().default('.spoor'),
  KAFKA_BROKERS: z.string().optional(),
  CLICKHOUSE_URL: z.string().optional(),
  CLICKHOUSE_DATABASE: z.string().default('spoor'),
  CLICKHOUSE_CLUSTER: z.string().optional(),
  REDIS_URL: z.string().optional(),
  GEOIP_DB: z.string().optional(),
  /** HMAC secret for email links and landing identity tokens; generated into the data dir when unset. */
  SPOOR_LINK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SPOOR_PUBLIC_URL: z.string().url().optional(),
  SPOOR_TOPIC_RAW: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/).default(TOPICS.raw),
  SPOOR_TOPIC_DLQ: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/).default(TOPICS.deadLetter),
  SPOOR_PROCESSOR_GROUP: z.string().min(1).max(200).default('spoor-processor'),
  /** Proxies whose X-Forwarded-For the collector believes (comma-separated addresses, CIDRs, `loopback`…); empty: none. */
  TRUSTED_PROXIES: z.string().default(''),
  /** How much of the client address is kept, by the collector before the log and by the processor (docs/processor.md). */
  IP_ANONYMISATION: z.enum(['truncate', 'drop']).default('truncate'),
  IP_V4_PREFIX_BITS: z.coerce.number().int().min(0).max(32).default(24),
  IP_V6_PREFIX_BITS: z.coerce.number().int().min(0).max(128).default(48),
  /** Days ClickHouse keeps event data of sites without their own setting (docs/retention.md); 0 keeps it forever. */
  SPOOR_RETENTION_DAYS: z.coerce.number().int().min(0).max(MAX_RETENTION_DAYS).default(DEFAULT_RETENTION_DAYS),
  /** Hours the event log keeps a record (raw and dead-letter topics); the file log keeps unconsumed records longer. */
  SPOOR_LOG_RETENTION_HOURS: z.coerce.number().int().min(1).max(MAX_LOG_RETENTION_HOURS).default(DEFAULT_LOG_RETENTION_HOURS),
});

export type SpoorEnv = z.infer<typeof spoorEnvSchema>;

export function parseSpoorEnv(env: NodeJS.ProcessEnv): SpoorEnv {
  const parsed = spoorEnvSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new Error(`invalid ${issue.path.join('.')}: ${JSON.stringify(env[String(issue.path[0])])} (${issue.message})`);
}
