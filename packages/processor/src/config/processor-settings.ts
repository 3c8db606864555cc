import { z } from 'zod';
import { deprecatedAliases, flag, integer, list, sharedSettings, type DeprecatedAlias, type EnvSource, parseConfig, type ParsedConfig } from '@spoor/infra';
import type { EnricherOptions } from '../enrich/load-enricher.js';
import { DEFAULT_MAX_EVENTS_PER_INSERT } from '../create-processor.js';

/**
 * The processor's settings: the shared vocabulary (Kafka, ClickHouse, Redis, topics, IP anonymisation, retention…)
 * plus what only the processor reads. One name, one default, one description each; docs/processor.md lists them.
 * Every entry point that runs a processor (main.ts, `spoor` roles, replay, drills) parses this schema.
 */
export const processorSettings = {
  ...sharedSettings,
  PROCESSOR_GROUP_ID: z.string().trim().min(1, '1–200 characters').max(200, '1–200 characters').default('spoor-processor').describe('Consumer group of the processors (a new group starts at the earliest offset).'),
  PROCESSOR_SESSION_TIMEOUT_MS: integer(30_000, 1_000, 3_600_000).describe('Consumer group session timeout; heartbeats every sixth of it, also while a batch is retried.'),
  PROCESSOR_MAX_EVENTS_PER_INSERT: integer(DEFAULT_MAX_EVENTS_PER_INSERT, 1, 1_000_000).describe('Most events in one set of inserts; a larger fetched batch is loaded in chunks.'),
  PROCESSOR_MAX_WAIT_MS: integer(500, 0, 60_000).describe('Time bound of a fetch: a batch is what arrived within this time (up to 4 MB per partition).'),
  PROCESSOR_FAILING_READY_MS: integer(30_000, 0, 86_400_000).describe('/readyz answers 503 once one load has been failing this long.'),
  PROCESSOR_SETTLE_VISITS_SECONDS: integer(300, 0, 86_400).describe('How often this processor copies visits\' attribution into their events (0: never). Processors sharing Redis take turns under a lease; without Redis leave it on in one processor only.'),
  PROCESSOR_HEALTH_PORT: z.coerce.number({ error: 'a whole number from 0 to 65535' }).int('a whole number from 0 to 65535').min(0, 'a whole number from 0 to 65535').max(65535, 'a whole number from 0 to 65535').optional().describe('Port of the processor\'s own GET /readyz (package main only; `spoor` serves /readyz on PORT); unset: none.'),
  GEOIP_DB: list().describe('Comma-separated mmdb files (GeoIP2/GeoLite2-City or DB-IP schema); empty: the bundled DB-IP City Lite.'),
  GEOIP_DISABLED: flag(false).describe('true: no geo lookup at all (no database is loaded).'),
  UA_CACHE_SIZE: integer(10_000, 0, 10_000_000).describe('LRU entries of parsed user agents (0: off).'),
} as const;

/** Deprecated spellings the processor reads (the shared list holds SPOOR_PROCESSOR_GROUP → PROCESSOR_GROUP_ID). */
export const processorDeprecatedAliases: readonly DeprecatedAlias[] = deprecatedAliases;

export const processorSettingsSchema = z.object(processorSettings);
export type ProcessorConfig = z.infer<typeof processorSettingsSchema>;

/** Parses the processor's settings from an environment (every bad key at once; deprecated names with a warning). */
export function parseProcessorConfig(env: EnvSource): ParsedConfig<ProcessorConfig> {
  return parseConfig(processorSettingsSchema, env, processorDeprecatedAliases);
}

/** The enrichment settings every processor entry point (live, replay, drills) loads its enricher with. */
export function enricherOptions(config: ProcessorConfig): EnricherOptions {
  return {
    geo: !config.GEOIP_DISABLED,
    geoDatabases: config.GEOIP_DB,
    userAgentCacheSize: config.UA_CACHE_SIZE,
    ipAnonymisation: ipAnonymisationOf(config),
  };
}

export function ipAnonymisationOf(config: Pick<ProcessorConfig, 'IP_ANONYMISATION' | 'IP_V4_PREFIX_BITS' | 'IP_V6_PREFIX_BITS'>) {
  return { mode: config.IP_ANONYMISATION, ipv4PrefixBits: config.IP_V4_PREFIX_BITS, ipv6PrefixBits: config.IP_V6_PREFIX_BITS };
}
