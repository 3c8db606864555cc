export { createCollector, type CollectorDeps } from './create-collector.js';
export type { ImportAuthenticator } from './ingest/import-route.js';
export { CollectorError, type CollectorErrorCode } from './http/collector-error.js';
export { createCoalescingProducer, LogUnavailableError, type CoalescingProducer, type CoalescingProducerOptions } from './produce/coalescing-producer.js';
export { createCollectorMetrics, type CollectorMetrics } from './ops/collector-metrics.js';
export { createRateLimits, unlimited, type RateLimits, type RateLimit, type RateLimitOptions } from './rate-limit/rate-limits.js';
export { originAllowed, redirectHostAllowed, siteSchema, type Site, type SiteRegistry } from './sites/site-registry.js';
export { createStaticSiteRegistry, loadSitesFile, parseSites, sitesFileSchema, SitesFileError } from './sites/file-site-registry.js';
export { createClickHouseSiteRegistry } from './sites/clickhouse-site-registry.js';
export { createCachedSiteRegistry, type SiteCacheOptions } from './sites/cached-site-registry.js';
export { buildCampaignLinks, type CampaignLinkOptions } from './email/campaign-links.js';
export {
  IDENTITY_TOKEN_PARAM,
  signClickToken,
  signIdentityToken,
  signOpenToken,
  verifyClickToken,
  verifyIdentityToken,
  verifyOpenToken,
  type ClickToken,
  type IdentityToken,
  type OpenToken,
} from './email/link-token.js';
export { createOpenClassifier, type OpenClassifierOptions, type OpenVerdict } from './email/classify-open.js';
export { serveCollector, type RunningCollector } from './serve-collector.js';
export { collectorSettings, collectorSettingsSchema, type CollectorConfig } from './config/collector-settings.js';
export { assembleCollector, type AssembledCollector, type CollectorAdapters } from './assemble-collector.js';
export { resolveLinkSecrets } from './config/link-secrets.js';
