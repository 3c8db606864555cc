import { hostname } from 'node:os';
import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { describeZodError, TOPICS } from '@spoor/events';
import { DEFAULT_LOG_RETENTION_HOURS, MAX_LOG_RETENTION_HOURS } from '@spoor/infra';

const list = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);
const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'on', 'off'])
    .optional()
    .transform((v) => (v === undefined ? fallback : ['true', '1', 'on'].includes(v)));

/** Every setting of the collector process, from the environment (see docs/collector.md for each one). */
export const collectorEnvSchema = z
  .object({
    PORT: int(8080, 0),
    HOST: z.string().default('0.0.0.0'),
    COLLECTOR_ID: z.string().min(1).max(128).default(`${hostname()}-${process.pid}`),
    KAFKA_BROKERS: list.refine((l) => l.length > 0, 'required: comma-separated host:port list'),
    KAFKA_CLIENT_ID: z.string().default('spoor-collector'),
    KAFKA_COMPRESSION: z.enum(['snappy', 'gzip', 'none']).default('snappy'),
    KAFKA_TOPIC_PARTITIONS: int(6, 1),
    SPOOR_RAW_TOPIC: z.string().default(TOPICS.raw),
    SPOOR_DLQ_TOPIC: z.string().default(TOPICS.deadLetter),
    /** Hours the raw and dead-letter topics keep a record (their retention.ms, set when ensuring the topics). */
    SPOOR_LOG_RETENTION_HOURS: z.coerce.number().int().min(1).max(MAX_LOG_RETENTION_HOURS).default(DEFAULT_LOG_RETENTION_HOURS),
    REDIS_URL: z.string().url().optional(),
    SITES_FILE: z.string().optional(),
    CLICKHOUSE_URL: z.string().optional(),
    CLICKHOUSE_DATA_DIR: z.string().optional(),
    CLICKHOUSE_DATABASE: z.string().default('spoor'),
    SITES_CACHE_TTL_SECONDS: int(60, 1),
    LINK_SIGNING_SECRETS: list,
    LINK_SIGNING_SECRET_FILE: z.string().optional(),
    IDENTITY_TOKEN_TTL_SECONDS: int(900, 60),
    TRUSTED_PROXIES: list,
    // The same vocabulary as the processor's: how much of the client address Spoor keeps, applied here before the log.
    IP_ANONYMISATION: z.enum(['truncate', 'drop']).default('truncate'),
    IP_V4_PREFIX_BITS: z.coerce.number().int().min(0).max(32).default(24),
    IP_V6_PREFIX_BITS: z.coerce.number().int().min(0).max(128).default(48),
    MACHINE_OPEN_RANGES: list,
    RATE_LIMITS: flag(true),
    RATE_LIMIT_LEASES: flag(true),
    RATE_LIMIT_IP_PER_SECOND: int(50, 1),
    RATE_LIMIT_IP_BURST: int(500),
    RATE_LIMIT_SITE_EVENTS_PER_SECOND: int(5000, 1),
    RATE_LIMIT_SITE_EVENTS_BURST: int(50_000),
    PRODUCER_LINGER_MS: int(0),
    PRODUCER_LANES: int(1, 1),
    PRODUCER_ACK_TIMEOUT_MS: int(10_000, 100),
    RETRY_AFTER_SECONDS: int(5, 1),
    SHUTDOWN_DRAIN_MS: int(10_000, 0),
  })
  .transform((env, ctx) => {
    const secrets = [...env.LINK_SIGNING_SECRETS];
    if (env.LINK_SIGNING_SECRET_FILE) {
      try {
        // Whoever reads the file can sign links for every site without keys of its own: owner only.
        if ((statSync(env.LINK_SIGNING_SECRET_FILE).mode & 0o077) !== 0) throw new Error('readable by others: chmod 600 it');
        secrets.push(...readFileSync(env.LINK_SIGNING_SECRET_FILE, 'utf8').split('\n').map((s) => s.trim()).filter(Boolean));
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: ['LINK_SIGNING_SECRET_FILE'], message: (err as Error).message });
      }
    }
    if (!secrets.length) ctx.addIssue({ code: 'custom', path: ['LINK_SIGNING_SECRETS'], message: 'required (or LINK_SIGNING_SECRET_FILE): secrets of 32+ characters for email links' });
    if (secrets.some((s) => s.length < 32)) ctx.addIssue({ code: 'custom', path: ['LINK_SIGNING_SECRETS'], message: 'every secret must be at least 32 characters' });
    return { ...env, linkSecrets: secrets };
  });

export type CollectorEnv = z.infer<typeof collectorEnvSchema>;

export function parseCollectorEnv(env: Record<string, string | undefined>): CollectorEnv {
  const parsed = collectorEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`collector configuration: ${describeZodError(parsed.error)}`);
  return parsed.data;
}
