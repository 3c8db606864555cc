import type { ClickHouseClient } from '@clickhouse/client';
import { resolve } from 'node:path';
import { Hono } from 'hono';
import { clusterOf, ensureSpoorTopics, openEventLog, openKeyValue, openStore, type EventLog, type KeyValue } from '@spoor/infra';
import { assembleCollector } from '@spoor/collector';
import { assembleProcessor, createClickHouseEventStore, eraseFromLog, type Processor } from '@spoor/processor';
import { startQueryApi, type ErasureHook } from '@spoor/query-api';
import type { SpoorConfig } from '../config/spoor-settings.js';
import { ensureDemoSite } from './demo-site.js';
import { apiNotFound, demoStoreRoutes } from './demo-store-routes.js';
import { createLocalAdmin, type LocalAdmin } from '../admin/admin-file.js';

export type Role = 'collector' | 'processor' | 'query-api' | 'demo';

export interface ComposedSpoor {
  /** The HTTP surface of the chosen roles (a processor alone still answers /healthz and /readyz). */
  app: Hono;
  /** The store this process opened (chDB allows one per process, so tests read through this one). */
  clickhouse: { client: ClickHouseClient; database: string };
  processor?: Processor;
  /** The local admin token of this start, when it serves the admin API (query-api role): published as admin.json. */
  localAdmin?: LocalAdmin;
  /** Lines worth printing at start: what runs where, and the demo keys on first start. */
  banner: string[];
  /** Call when graceful shutdown starts: the collector's /readyz answers 503. */
  startShutdown(): void;
  /** Releases everything in dependency order; call after the HTTP server drained. */
  close(): Promise<void>;
}

/**
 * Spoor as one process: opens the adapters the settings pick (infra config/open-adapters.ts), then mounts the
 * apps of the same assemble functions the service mains use on one port. Nothing here configures a service: a
 * setting that works for `packages/collector/src/main.ts` works the same under `spoor start`.
 */
export async function composeSpoor(config: SpoorConfig, roles: ReadonlySet<Role>, publicOrigins: string[]): Promise<ComposedSpoor> {
  const banner: string[] = [];
  const closers: Array<() => Promise<unknown>> = [];
  const store = await openStore(config, { applyRetention: true });
  const database = store.clickhouse.database;
  closers.push(() => store.client.close());
  banner.push(`store: ${store.description}`);

  let log: EventLog | undefined;
  if (roles.has('collector') || roles.has('processor')) {
    const opened = openEventLog(config, 'spoor');
    log = opened.log;
    closers.unshift(() => opened.log.close());
    await ensureSpoorTopics(opened.log, config, opened.kind);
    banner.push(`log: ${opened.description}`);
  }
  let keyValue: KeyValue | undefined;
  if (roles.has('processor') || roles.has('collector') || roles.has('query-api')) {
    const opened = await openKeyValue(config);
    keyValue = opened.keyValue;
    closers.unshift(() => opened.keyValue.close());
    banner.push(`state: ${opened.description}`);
  }

  const app = new Hono();
  let processor: Processor | undefined;
  // The processor: the package main's assembly, on this process's log, store and state.
  if (roles.has('processor')) {
    processor = await assembleProcessor(config, { eventLog: log!, store: createClickHouseEventStore(store.client, database, { cluster: clusterOf(store.clickhouse) }), keyValue: keyValue ?? null }, {
      onFatal: (error) => {
        console.error(`[processor] consumer crashed for good: ${error.message}`);
        process.exit(1);
      },
    });
    closers.unshift(() => processor!.stop());
  }

  // Health of the whole process: the log answers and, when this process processes, batches flow.
  app.get('/healthz', (c) => c.json({ ok: true, roles: [...roles] }));
  app.get('/readyz', async (c) => {
    const logOk = log ? await log.ping() : true;
    // Counts and reason codes only: the store's error text can quote event contents (it is in the server log).
    const health = processor?.health();
    const processorOk = health ? health.ready : true;
    return c.json({ ready: logOk && processorOk, log: logOk, processor: health }, logOk && processorOk ? 200 : 503);
  });

  let startShutdown = () => {};
  if (roles.has('collector')) {
    const collector = await assembleCollector(config, { log: log!, store: { client: store.client, database }, keyValue: keyValue! });
    startShutdown = collector.startShutdown;
    closers.unshift(() => collector.close());
    app.route('/', collector.app);
  }
  // An erasure also rewrites this process's log (the file log: the person's records go; on Kafka it says what the
  // register guarantees instead).
  const erasureHooks: ErasureHook[] = log
    ? [{ name: 'event-log', run: (subject) => eraseFromLog(log, { raw: config.SPOOR_TOPIC_RAW, deadLetter: config.SPOOR_TOPIC_DLQ }, subject) }]
    : [];
  const localAdmin = roles.has('query-api') ? createLocalAdmin() : undefined;
  if (localAdmin) {
    // The query API's own start-up (as its package main): on the first start the instance owner (SPOOR_OWNER_EMAIL)
    // and a one-time set-up link, printed once like the demo keys (docs/admin.md).
    const queryApi = await startQueryApi(
      config,
      { store: { client: store.client, database }, erasureHooks, authenticators: [localAdmin.authenticator], keyValue: keyValue! },
      { print: (line) => banner.push(line), ...(publicOrigins[0] !== undefined ? { publicUrl: publicOrigins[0] } : {}) },
    );
    app.route('/', queryApi);
  }
  if (roles.has('demo')) {
    const { keys, created } = await ensureDemoSite(store.client, database, config.SPOOR_DATA_DIR, publicOrigins);
    if (created) {
      banner.push('', `First start: created the demo site. Keep these (also saved in ${resolve(config.SPOOR_DATA_DIR, 'demo-keys.json')}):`);
      banner.push(JSON.stringify(keys, null, 2));
    }
    app.route('/', demoStoreRoutes(keys.writeKey));
  }
  // Unknown paths answer like the services do (JSON), whichever roles run.
  app.notFound((c) => c.json(apiNotFound(c.req.method, c.req.path), 404));
  return {
    app,
    clickhouse: { client: store.client, database },
    ...(processor ? { processor } : {}),
    ...(localAdmin ? { localAdmin } : {}),
    banner,
    startShutdown,
    async close() {
      for (const close of closers) await close().catch((err: unknown) => console.error(`[spoor] shutdown: ${(err as Error).message}`));
    },
  };
}
