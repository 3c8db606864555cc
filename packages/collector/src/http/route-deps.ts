import type { IpAnonymisation } from '@spoor/infra';
import type { CoalescingProducer } from '../produce/coalescing-producer.js';
import type { CollectorMetrics } from '../ops/collector-metrics.js';
import type { RateLimits } from '../rate-limit/rate-limits.js';
import type { SiteRegistry } from '../sites/site-registry.js';
import type { TrustProxy } from './client-address.js';

/** What every recording route needs; assembled once by createCollector. */
export interface CollectorRouteDeps {
  producer: CoalescingProducer;
  sites: SiteRegistry;
  rateLimits: RateLimits;
  metrics: CollectorMetrics;
  trust: TrustProxy;
  /** Applied to the client address of every produced event (rawEventRecords). */
  ipAnonymisation: IpAnonymisation;
  collectorId: string;
  linkSecrets: readonly string[];
  topics: { raw: string; deadLetter: string };
  now: () => number;
}
