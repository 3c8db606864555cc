import type { QueryApiConfig } from './config/query-api-settings.js';
import { assembleQueryApi, type QueryApiAdapters } from './assemble-query-api.js';
import type { QueryApi } from './create-query-api.js';
import { createClickHouseUserStore } from './accounts/clickhouse-user-store.js';
import { ensureFirstOwner } from './accounts/ensure-first-owner.js';

export interface QueryApiStartOptions {
  /** Where the one-time set-up link goes: the start-up banner. */
  print: (line: string) => void;
  /** Prefixed to the set-up link (SPOOR_PUBLIC_URL, else the local address). */
  publicUrl?: string;
}

/**
 * The query API's start-up, the one every entry point runs (`src/main.ts`, `spoor start`, `spoor query-api`,
 * `spoor serve --roles …query-api`): the assembled app, and on the first start the instance owner
 * (SPOOR_OWNER_EMAIL) with its one-time set-up link. Kept together so no entry point serves accounts without an owner.
 */
export async function startQueryApi(config: QueryApiConfig, adapters: QueryApiAdapters, options: QueryApiStartOptions): Promise<QueryApi> {
  const app = assembleQueryApi(config, adapters);
  await ensureFirstOwner({
    userStore: createClickHouseUserStore({ client: adapters.store.client, database: adapters.store.database }),
    email: config.SPOOR_OWNER_EMAIL,
    print: options.print,
    ...(options.publicUrl !== undefined ? { publicUrl: options.publicUrl } : {}),
  });
  return app;
}
