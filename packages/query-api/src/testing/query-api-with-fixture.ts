import { freshClickHouseDatabase } from '@spoor/test-harness';
import { createMemoryKeyValue } from '@spoor/infra';
import { createQueryApi, type QueryApiDeps } from '../create-query-api.js';
import { loadFixture, type Fixture, type LoadFixtureOptions } from './load-fixture.js';

/** A fresh migrated database holding `fixture`, and the query API over it (extra deps: a pinned clock, hooks, …). */
export async function queryApiWithFixture(fixture: Fixture, deps: Partial<Omit<QueryApiDeps, 'clickhouse' | 'database'>> = {}, options: LoadFixtureOptions = {}) {
  const { client, database } = await freshClickHouseDatabase();
  await loadFixture(client, database, fixture, options);
  return { app: createQueryApi({ keyValue: createMemoryKeyValue(), clickhouse: client, database, ...deps }), client, database };
}
