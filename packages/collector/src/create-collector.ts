import { Hono } from 'hono';
import { errorBody, LIMITS, TOPICS } from '@spoor/events';
import { DEFAULT_IP_ANONYMISATION, type IpAnonymisation, type KeyValue } from '@spoor/infra';
import { checkSecrets } from './email/link-token.js';
import { clickRoute } from './email/click-route.js';
import { createOpenClassifier, type OpenClassifierOptions } from './email/classify-open.js';
import { openPixelRoute } from './email/open-pixel-route.js';
import { compileTrustedProxies } from './http/client-address.js';
import { CollectorError } from './http/collector-error.js';
import { onCollectorError } from './http/on-collector-error.js';
import type { CollectorRouteDeps } from './http/route-deps.js';
import { eventsRoute } from './ingest/events-route.js';
import { importRoute, type ImportAuthenticator } from './ingest/import-route.js';
import { createCollectorMetrics, type CollectorMetrics } from './ops/collector-metrics.js';
import { opsRoutes } from './ops/ops-routes.js';
import type { CoalescingProducer } from './produce/coalescing-producer.js';
import { unlimited, type RateLimits } from './rate-limit/rate-limits.js';
import type { SiteRegistry } from './sites/site-registry.js';

export interface CollectorDeps {
  /** Where events go; resolves only after the log acknowledged them (see createCoalescingProducer). */
  producer: CoalescingProducer;
  /** Readiness: is the event log reachable (EventLog.ping)? */
  logReachable: () => Promise<boolean>;
  sites: SiteRegistry;
  /**
   * Global HMAC secrets for email links; the first signs, all verify (rotation). Each at least 32 characters. They sign
   * the links of sites without keys of their own and verify every token without a key id (see link-token.ts).
   */
  linkSecrets: readonly string[];
  /** Names this instance in every RawEvent it produces. */
  collectorId: string;
  topics?: { raw: string; deadLetter: string };
  /** Proxies whose X-Forwarded-For is believed (addresses, CIDRs, or `loopback` / `uniquelocal`). */
  trustedProxies?: readonly string[];
  /**
   * What is left of the client address in what the collector produces (default: truncate to /24 and /48). The full
   * address never reaches the log; it lives only in the request's memory (rate limiting, the email-open check).
   */
  ipAnonymisation?: IpAnonymisation;
  rateLimits?: RateLimits;
  metrics?: CollectorMetrics;
  openClassifier?: OpenClassifierOptions;
  /** Lifetime of the identity token appended to email landing URLs (default 15 minutes). */
  identityTokenTtlMs?: number;
  /**
   * Shared state binding each identity token to the first anonymous id presenting it: Redis when several collectors
   * serve one site (REDIS_URL), else in-process memory, which binds per process only. The entry point's choice
   * (assembleCollector); tests pass a memory one.
   */
  keyValue: KeyValue;
  /** Retry-After (seconds) on 503 when the event log is down. */
  retryAfterSeconds?: number;
  maxBodyBytes?: number;
  /** Checks the secret API keys of POST /v1/import (server-side backfill); without it that route does not exist. */
  authenticateImport?: ImportAuthenticator;
  /** True once graceful shutdown started: /readyz answers 503 so the load balancer stops sending. */
  isShuttingDown?: () => boolean;
  now?: () => number;
  log?: (message: string, error: unknown) => void;
}

/** Long enough for the landing page to load and send its identify, short enough that a forwarded link is stale. */
export const DEFAULT_IDENTITY_TOKEN_TTL_MS = 15 * 60 * 1000;

const ROUTES = new Set(['/v1/events', '/v1/import', '/v1/o.gif', '/v1/c', '/healthz', '/readyz', '/metrics']);

/** The collector as a Hono app: a library, so main.ts, the all-in-one process and tests compose the same thing. */
export function createCollector(deps: CollectorDeps): Hono {
  checkSecrets(deps.linkSecrets);
  const metrics = deps.metrics ?? createCollectorMetrics();
  const routeDeps: CollectorRouteDeps = {
    producer: deps.producer,
    sites: deps.sites,
    rateLimits: deps.rateLimits ?? unlimited,
    metrics,
    trust: compileTrustedProxies(deps.trustedProxies ?? []),
    ipAnonymisation: deps.ipAnonymisation ?? DEFAULT_IP_ANONYMISATION,
    collectorId: deps.collectorId,
    linkSecrets: deps.linkSecrets,
    topics: deps.topics ?? { raw: TOPICS.raw, deadLetter: TOPICS.deadLetter },
    now: deps.now ?? Date.now,
  };
  const isShuttingDown = deps.isShuttingDown ?? (() => false);

  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    metrics.requests.inc({ route: ROUTES.has(c.req.path) ? c.req.path : 'other', status: String(c.res.status) });
    metrics.inFlightBytes.set(deps.producer.queuedBytes());
  });
  app.route('/', opsRoutes({ metrics, logReachable: deps.logReachable, isShuttingDown }));
  app.route('/', eventsRoute({ ...routeDeps, maxBodyBytes: deps.maxBodyBytes, identityBindings: deps.keyValue }));
  if (deps.authenticateImport) {
    app.route('/', importRoute({ ...routeDeps, authenticate: deps.authenticateImport, maxBodyBytes: deps.maxBodyBytes ?? LIMITS.maxBatchBytes }));
  }
  app.route('/', openPixelRoute({ ...routeDeps, classifyOpen: createOpenClassifier(deps.openClassifier) }));
  app.route('/', clickRoute({ ...routeDeps, identityTokenTtlMs: deps.identityTokenTtlMs ?? DEFAULT_IDENTITY_TOKEN_TTL_MS }));
  app.notFound((c) => c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path.slice(0, 200)}`), 404));
  app.onError(onCollectorError({ retryAfterSeconds: deps.retryAfterSeconds ?? 5, log: deps.log }));
  return app;
}

export { CollectorError };
