import { hostname } from 'node:os';
import { z } from 'zod';
import { flag, integer, list, optionalText, sharedSettings, text } from '@spoor/infra';

/**
 * The collector's settings: the shared vocabulary plus what only the collector reads. Every entry point that runs a
 * collector (`src/main.ts`, `spoor start`, `spoor collector`) parses exactly this, so a documented setting works under
 * all of them. docs/configuration.md is the table (configuration-doc.test.ts keeps it in step).
 */
export const collectorSettings = {
  ...sharedSettings,
  COLLECTOR_ID: text().max(128).default(`${hostname()}-${process.pid}`).describe('Names this instance in every event it produces (default <hostname>-<pid>).'),
  PRODUCER_LANES: integer(1, 1, 64).describe('Idempotent producers, one send in flight each (more overlap round trips, cost CPU).'),
  PRODUCER_LINGER_MS: integer(0, 0, 10_000).describe('Wait before a lane\'s first send after idling (0: coalescing happens while a send is in flight).'),
  PRODUCER_ACK_TIMEOUT_MS: integer(10_000, 100, 600_000).describe('Answer 503 when the log has not acknowledged by then.'),
  RETRY_AFTER_SECONDS: integer(5, 1, 3600).describe('Retry-After of a 503 when the log or the site store is down.'),
  TRUSTED_PROXIES: list().describe('Proxies whose X-Forwarded-For the collector believes (the client address of rate limits and geo): addresses, CIDRs, loopback, linklocal, uniquelocal; empty: none.'),
  RATE_LIMITS: flag(true).describe('Per-client-address and per-site rate limits (off: none).'),
  RATE_LIMIT_LEASES: flag(true).describe('Take rate-limit budget from Redis in leases (off: one Redis round trip per check).'),
  RATE_LIMIT_IP_PER_SECOND: integer(50, 1).describe('Requests per second one client address may send.'),
  RATE_LIMIT_IP_BURST: integer(500, 0).describe('Requests one client address may send at once above its rate.'),
  RATE_LIMIT_SITE_EVENTS_PER_SECOND: integer(5000, 1).describe('Events per second one site may send.'),
  RATE_LIMIT_SITE_EVENTS_BURST: integer(50_000, 0).describe('Events one site may send at once above its rate.'),
  SITES_FILE: optionalText().describe('A JSON sites file instead of the sites table of the store.'),
  SITES_CACHE_TTL_SECONDS: integer(60, 1, 86_400).describe('How long a site\'s settings are cached (also how long a change takes to bite).'),
  LINK_SIGNING_SECRETS: list().describe('Global email-link secrets (32+ characters, comma-separated; the first signs, all verify); unset: generated into the data dir.'),
  LINK_SIGNING_SECRET_FILE: optionalText().describe('A file of link secrets, one a line, readable by its owner only (added to LINK_SIGNING_SECRETS).'),
  IDENTITY_TOKEN_TTL_SECONDS: integer(900, 60, 86_400).describe('Lifetime of the identity token appended to email landing URLs.'),
  MACHINE_OPEN_RANGES: list().describe('Extra CIDRs whose email opens count as machine opens (your own gateways).'),
} as const;

export const collectorSettingsSchema = z.object(collectorSettings);
export type CollectorConfig = z.infer<typeof collectorSettingsSchema>;
