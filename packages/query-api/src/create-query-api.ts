import type { ClickHouseClient } from '@clickhouse/client';
import { OpenAPIHono } from '@hono/zod-openapi';
import { clickhouseLane } from '@spoor/infra';
import { errorBody } from '@spoor/events';
import { createClickHouseApiKeyStore, type ApiKeyStore } from './auth/api-key-store.js';
import type { QueryApiEnv } from './auth/query-api-env.js';
import { requireApiKey } from './auth/require-api-key.js';
import { requireSiteAccess } from './auth/require-site-access.js';
import { createQueryRunner } from './clickhouse/query-runner.js';
import { createBreakdownValuesCache } from './queries/funnels/breakdown-values.js';
import { createStoreWriter } from './clickhouse/store-writer.js';
import type { ErasureHook } from './erasure/erasure-hook.js';
import { createRfmPopulationCache } from './queries/rfm/rfm-population.js';
import { resolveQuintileMinBuyers, type RfmScoringOptions } from './queries/rfm/rfm-scoring-rule.js';
import { audienceRoutes } from './queries/audiences/audiences-route.js';
import { customerRoutes } from './queries/customers/customers-route.js';
import { productsAbcRoutes } from './queries/products/products-abc-route.js';
import { revenueRoutes } from './queries/products/revenue-route.js';
import type { WriteRouteDeps } from './queries/shared/write-route-deps.js';
import { createErrorHandler, type ErrorLogger } from './errors/on-error.js';
import { accountRoutes } from './accounts/account-routes.js';
import type { AccountRoutesDeps } from './accounts/account-deps.js';
import { createClickHouseUserStore } from './accounts/clickhouse-user-store.js';
import { registerAccountOpenApi } from './accounts/account-openapi.js';
import { sessionAuthenticatorFor } from './accounts/account-services.js';
import { createMemoryKeyValue } from '@spoor/infra';
import { limitQueryConcurrency } from './limits/query-concurrency.js';
import { NotFoundError } from './errors/query-api-errors.js';
import { createFailedKeyLimiter, type FailedKeyLimiterOptions } from './auth/failed-key-limiter.js';
import type { RequestAddress } from './auth/request-address.js';
import { DEFAULT_MAX_BODY_BYTES, limitRequestBody } from './params/limit-request-body.js';
import { requireWellFormedInput } from './params/require-well-formed-input.js';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './params/query-limits.js';
import { cartRoutes } from './queries/carts/carts-route.js';
import { exitRoutes } from './queries/overview/exits-route.js';
import { funnelRoutes } from './queries/funnels/funnels-route.js';
import { overviewRoutes } from './queries/overview/overview-route.js';
import { rfmRoutes } from './queries/rfm/rfm-route.js';
import type { RouteDeps } from './queries/shared/route-deps.js';
import type { Authenticator } from './access/principal.js';
import type { AuditLog } from './audit/audit-log.js';
import { createMemoryAuditLog } from './audit/memory-audit-log.js';
import { createAdminApi, defaultMigrate } from './admin/admin-api.js';
import { apiKeyAuthenticator } from './admin/authenticate-principal.js';
import { socketPeerAddress } from './auth/request-address.js';

export interface QueryApiDeps {
  clickhouse: ClickHouseClient;
  /** Database holding the Spoor tables; an identifier (letters, digits, _). */
  database: string;
  limits?: Partial<QueryLimits>;
  /** Clock for default date ranges; tests pin it. */
  now?: () => Date;
  /** Defaults to the ClickHouse api_keys table (cached 30 s). */
  apiKeyStore?: ApiKeyStore;
  logError?: ErrorLogger;
  /** Run after a customer erasure to clear state outside ClickHouse (the processor's Redis caches, …). */
  erasureHooks?: ErasureHook[];
  /** Largest request body accepted, bytes; larger is 413 before it is read. Default 128 KiB. */
  maxBodyBytes?: number;
  /** Budget of failed API key lookups per client address (default: 20 at once, 2 more per second). */
  failedKeyLookups?: FailedKeyLimiterOptions;
  /** The client's address for per-client limits; default the socket peer (X-Forwarded-For is not believed). */
  clientAddress?: RequestAddress;
  /** RFM scoring: the number of buyers from which quintiles score (default 100; below, fixed thresholds). */
  rfm?: RfmScoringOptions;
  /** Users, sign-in and sessions (accounts/): default the ClickHouse users tables and in-process sessions. */
  accounts?: Partial<AccountRoutesDeps>;
  /**
   * Ways of proving who you are besides a secret API key (asked first, in order): the local admin token
   * (admin/local-admin/admin-token-authenticator.ts), sessions. The admin API (/api/v1/admin) asks them.
   */
  authenticators?: Authenticator[];
  /** Where administrative actions are recorded; default an in-memory log (pass the ClickHouse one in production). */
  auditLog?: AuditLog;
  /** ClickHouse cluster for DDL (POST /api/v1/admin/migrate, retention changes); absent on one server or chDB. */
  cluster?: string;
  /** What POST /api/v1/admin/migrate runs; default the infra migrations plus re-applied retention. */
  migrate?: () => Promise<{ applied: string[] }>;
}

export { DEFAULT_MAX_BODY_BYTES };

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The query API as a Hono app: /api/v1/* behind secret API keys, /openapi.json and /healthz open. */
export function createQueryApi(deps: QueryApiDeps) {
  if (!IDENTIFIER.test(deps.database)) throw new Error(`createQueryApi: database must be an identifier, got ${JSON.stringify(deps.database)}`);
  const limits: QueryLimits = { ...DEFAULT_QUERY_LIMITS, ...deps.limits };
  // On embedded chDB analyst statements queue behind the processor's loads (infra store-scheduler.ts); on a server, the same client.
  const clickhouse = clickhouseLane(deps.clickhouse, 'analytics');
  const runner = createQueryRunner({ client: clickhouse, database: deps.database, maxExecutionTimeSeconds: limits.maxExecutionTimeSeconds, maxMemoryBytes: limits.maxMemoryBytes });
  const routeDeps: RouteDeps = {
    runner,
    limits,
    now: deps.now ?? (() => new Date()),
    breakdownValues: createBreakdownValuesCache(runner),
    rfmQuintileMinBuyers: resolveQuintileMinBuyers(deps.rfm),
  };
  const writeDeps: WriteRouteDeps = {
    ...routeDeps,
    // Writes include erasures, which scan and rewrite whole tables: a budget of their own, not the analytics one.
    writer: createStoreWriter({ client: clickhouse, database: deps.database, maxExecutionTimeSeconds: 600 }),
    rfmPopulation: createRfmPopulationCache(runner, { database: deps.database }),
    erasureHooks: deps.erasureHooks ?? [],
  };

  const app = new OpenAPIHono<QueryApiEnv>();
  app.onError(createErrorHandler(deps.logError));
  app.notFound((c) => {
    const err = new NotFoundError(`no such endpoint: ${c.req.method} ${c.req.path.slice(0, 200)}`);
    return c.json(errorBody(err.code, err.message), 404);
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'A secret API key scoped to one or more sites (never the public write key).',
  });
  app.get('/healthz', (c) => c.json({ ok: true }));
  const apiKeyStore = deps.apiKeyStore ?? createClickHouseApiKeyStore(runner);
  const auditLog = deps.auditLog ?? createMemoryAuditLog();
  // Before the API-key chain: these routes authenticate for themselves (a credential, else the session cookie,
  // with CSRF checks on cookie writes: accounts/account-routes.ts).
  const accounts: AccountRoutesDeps = {
    userStore: createClickHouseUserStore({ client: clickhouse, database: deps.database }),
    kv: createMemoryKeyValue({ maxEntries: 100_000 }),
    authenticators: [...(deps.authenticators ?? []), apiKeyAuthenticator(apiKeyStore)],
    audit: auditLog,
    ...(deps.clientAddress ? { clientAddress: deps.clientAddress } : {}),
    ...deps.accounts,
  };
  app.route('/api/v1', accountRoutes(accounts));
  registerAccountOpenApi(app);
  // Mounted before the query routes' /api/v1/* middleware: admin routes answer first, authenticated their own way
  // (their site is a path parameter, not the query's one `site`).
  app.route(
    '/',
    createAdminApi({
      clickhouse,
      database: deps.database,
      cluster: deps.cluster,
      // A signed-in owner or site admin too: the cookie authenticator refuses writes without the CSRF token itself.
      authenticators: [...(deps.authenticators ?? []), apiKeyAuthenticator(apiKeyStore), sessionAuthenticatorFor(accounts)],
      auditLog,
      clientAddress: deps.clientAddress ?? socketPeerAddress,
      migrate: deps.migrate ?? defaultMigrate(clickhouse, deps.database, deps.cluster),
      maxBodyBytes: deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    }),
  );

  app.use(
    '/api/v1/*',
    limitRequestBody({ maxBytes: deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES }),
    requireApiKey({
      store: apiKeyStore,
      failedLookups: createFailedKeyLimiter(deps.failedKeyLookups),
      ...(deps.clientAddress ? { clientAddress: deps.clientAddress } : {}),
    }),
    requireWellFormedInput(),
    requireSiteAccess(),
    limitQueryConcurrency({
      perKey: limits.concurrentPerKey,
      perSite: limits.concurrentPerSite,
      total: limits.concurrentTotal,
      queuedPerKey: limits.queuedPerKey,
      queuedTotal: limits.queuedTotal,
      maxWaitMs: limits.maxQueueWaitMs,
    }),
  );
  // One folder per query family (src/queries/<family>/): its SQL, its <family>-route.ts (exits and revenue keep their own
  // route files inside the overview and products families) and its tests.
  app.route('/api/v1', overviewRoutes(routeDeps));
  app.route('/api/v1', funnelRoutes(routeDeps));
  app.route('/api/v1', exitRoutes(routeDeps));
  app.route('/api/v1', cartRoutes(routeDeps));
  app.route('/api/v1', rfmRoutes(routeDeps));
  app.route('/api/v1', audienceRoutes(writeDeps));
  app.route('/api/v1', customerRoutes(writeDeps));
  app.route('/api/v1', productsAbcRoutes(routeDeps));
  app.route('/api/v1', revenueRoutes(routeDeps));

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Spoor query API', version: '1.0.0', description: 'Analytics over the Spoor ClickHouse tables. All times are UTC.' },
  });
  return app;
}

export type QueryApi = ReturnType<typeof createQueryApi>;
