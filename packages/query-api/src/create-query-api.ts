import type { ClickHouseClient } from '@clickhouse/client';
import { OpenAPIHono } from '@hono/zod-openapi';
import { clickhouseLane, type KeyValue } from '@spoor/infra';
import { apiKeyAuthenticator } from './access/api-key-authenticator.js';
import { authenticate } from './access/authenticate.js';
import { authorize } from './access/authorize.js';
import type { Authenticator, Principal } from './access/principal.js';
import { ROUTE_PERMISSIONS } from './access/route-permissions.js';
import { documentPermissions } from './access/document-permissions.js';
import type { AuditLog } from './audit/audit-log.js';
import type { AuditReader } from './audit/audit-reader.js';
import { createClickHouseAuditLog } from './audit/clickhouse-audit-log.js';
import { auditRoutes } from './audit/audit-routes.js';
import { errorBody } from '@spoor/events';
import { createClickHouseApiKeyStore, type ApiKeyStore } from './auth/api-key-store.js';
import type { QueryApiEnv } from './auth/query-api-env.js';
import { createClickHouseKeyAdmin, type KeyAdmin } from './keys/key-admin.js';
import { keyRoutes } from './keys/key-routes.js';
import { clickHouseKeyUsageWriter, createThrottledKeyUsage, type KeyUsage } from './keys/key-usage.js';
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
import { requireCsrf } from './accounts/require-csrf.js';
import { sessionAuthenticator } from './accounts/session-authenticator.js';
import { createSessionStore } from './accounts/session-store.js';
import { readSessionCookie } from './accounts/session-cookie.js';
import type { AccountRoutesDeps } from './accounts/account-deps.js';
import { createClickHouseUserStore } from './accounts/clickhouse-user-store.js';
import { registerAccountOpenApi } from './accounts/account-openapi.js';
import { limitQueryConcurrency } from './limits/query-concurrency.js';
import { NotFoundError } from './errors/query-api-errors.js';
import { createFailedKeyLimiter, type FailedKeyLimiterOptions } from './auth/failed-key-limiter.js';
import { socketPeerAddress, type RequestAddress } from './auth/request-address.js';
import { DEFAULT_MAX_BODY_BYTES, limitRequestBody } from './params/limit-request-body.js';
import { requireWellFormedInput } from './params/require-well-formed-input.js';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './params/query-limits.js';
import { cartRoutes } from './queries/carts/carts-route.js';
import { exitRoutes } from './queries/overview/exits-route.js';
import { funnelRoutes } from './queries/funnels/funnels-route.js';
import { overviewRoutes } from './queries/overview/overview-route.js';
import { rfmRoutes } from './queries/rfm/rfm-route.js';
import type { RouteDeps } from './queries/shared/route-deps.js';
import { createAdminApi, defaultMigrate } from './admin/admin-api.js';

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
  /**
   * Sign-in sessions and sign-in counters (accounts/): the KeyValue the entry point opened (Redis with REDIS_URL, so a
   * sign-in holds on every query-api instance). No default here: choosing an adapter is the assembly's job.
   */
  keyValue: KeyValue;
  /** Users, sign-in and sessions (accounts/): default the ClickHouse users tables and `keyValue`. */
  accounts?: Partial<AccountRoutesDeps>;
  /**
   * Asked before the API key authenticator, in order (the local admin token, the session cookie…): each answers
   * undefined when the request carries no credential of its kind (access/principal.ts).
   */
  authenticators?: Authenticator[];
  /** Where administrative actions, exports and erasures are recorded and read back; default the ClickHouse audit_log (migration 0401). */
  auditLog?: AuditLog & AuditReader;
  /** ClickHouse cluster for DDL (POST /api/v1/admin/migrate, retention changes); absent on one server or chDB. */
  cluster?: string;
  /** What POST /api/v1/admin/migrate runs; default the infra migrations plus re-applied retention. */
  migrate?: () => Promise<{ applied: string[] }>;
  /** Defaults to the ClickHouse api_keys table; revocations make `apiKeyStore` forget the key at once. */
  keyAdmin?: KeyAdmin;
  /** Defaults to api_key_usage, written at most once a minute per key. */
  keyUsage?: KeyUsage;
}

export { DEFAULT_MAX_BODY_BYTES };

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The query API as a Hono app: /api/v1/* behind authenticate + authorize (docs/admin.md), /openapi.json and /healthz open. */
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

  const clientAddress = deps.clientAddress ?? socketPeerAddress;
  const apiKeyStore = deps.apiKeyStore ?? createClickHouseApiKeyStore(runner);
  const audit = deps.auditLog ?? createClickHouseAuditLog({ client: deps.clickhouse, database: deps.database });
  const keyAdmin = deps.keyAdmin ?? createClickHouseKeyAdmin({ client: deps.clickhouse, database: deps.database, onChange: (keyId) => apiKeyStore.forget?.(keyId) });
  const keyUsage = deps.keyUsage ?? createThrottledKeyUsage({ write: clickHouseKeyUsageWriter(deps.clickhouse, deps.database) });
  const accountDeps: AccountRoutesDeps = {
    userStore: createClickHouseUserStore({ client: clickhouse, database: deps.database }),
    kv: deps.keyValue,
    audit,
    clientAddress,
    ...deps.accounts,
  };
  // The session cookie is one more way of proving who you are, for every route (accounts/ sets the cookie); cookie
  // requests that change state need the CSRF token, whichever route they go to.
  const sessions = createSessionStore({ kv: accountDeps.kv, ...(accountDeps.now ? { now: accountDeps.now } : {}), ...accountDeps.sessions });
  const fromSessionCookie = sessionAuthenticator({ sessions, userStore: accountDeps.userStore, ...(accountDeps.cookie ? { cookie: accountDeps.cookie } : {}) });

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

  app.use(
    '/api/v1/*',
    limitRequestBody({ maxBytes: deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES }),
    authenticate({
      authenticators: [
        ...(deps.authenticators ?? []),
        fromSessionCookie,
        apiKeyAuthenticator({ store: apiKeyStore, failedLookups: createFailedKeyLimiter(deps.failedKeyLookups), clientAddress, usage: keyUsage }),
      ],
    }),
    requireWellFormedInput(),
    // The one permission decision, from the one table (access/route-permissions.ts).
    authorize({ table: ROUTE_PERMISSIONS, audit, clientAddress }),
    // After the decision, before any handler: a refused request is told why (403 forbidden), an allowed cookie request
    // that changes state still needs the session's CSRF token and a same-origin request (403 csrf).
    requireCsrf({
      sessions,
      // Only a request the session cookie authenticated carries an ambient credential a foreign page could ride on.
      principalOf: (c) => (readSessionCookie(c, accountDeps.cookie) ? (c.get('principal') as Principal | undefined) : undefined),
      ...(accountDeps.allowedOrigins ? { allowedOrigins: accountDeps.allowedOrigins } : {}), trustForwardedProto: accountDeps.cookie?.trustForwardedProto ?? false,
    }),
    limitQueryConcurrency({
      perKey: limits.concurrentPerKey,
      perSite: limits.concurrentPerSite,
      total: limits.concurrentTotal,
      queuedPerKey: limits.queuedPerKey,
      queuedTotal: limits.queuedTotal,
      maxWaitMs: limits.maxQueueWaitMs,
    }),
  );
  // Sign-in, sessions, set-up links, users (accounts/): behind the same chain (sign-in and set-up rows are public).
  app.route('/api/v1', accountRoutes(accountDeps));
  registerAccountOpenApi(app);
  // The admin API (admin/): sites, link keys, migrations. Behind the same authenticate + authorize as every route
  // above: its handlers read the principal the chain set.
  app.route(
    '/',
    createAdminApi({
      clickhouse,
      database: deps.database,
      cluster: deps.cluster,
      auditLog: audit,
      clientAddress,
      migrate: deps.migrate ?? defaultMigrate(clickhouse, deps.database, deps.cluster),
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
  app.route('/api/v1', keyRoutes({ keyAdmin, audit, clientAddress }));
  app.route('/api/v1', auditRoutes(audit));

  // Generated per request like doc31 would, then each operation gains the permission its table row declares.
  app.get('/openapi.json', (c) =>
    c.json(
      documentPermissions(
        app.getOpenAPI31Document({
          openapi: '3.1.0',
          info: { title: 'Spoor query API', version: '1.0.0', description: 'Analytics over the Spoor ClickHouse tables. All times are UTC. Who may call what: docs/admin.md.' },
        }),
        ROUTE_PERMISSIONS,
      ),
    ),
  );
  return app;
}

export type QueryApi = ReturnType<typeof createQueryApi>;
