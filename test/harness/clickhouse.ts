import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { createClickHouse, migrate, normaliseClickHouseConfig } from '@spoor/infra';

let shared: ClickHouseClient | undefined;

/**
 * A migrated, empty database for one test file. chDB allows one data directory per process, so every
 * file in a process shares one embedded instance and gets its own database in it; with CLICKHOUSE_URL set
 * the same happens on that server.
 */
export async function freshClickHouseDatabase(): Promise<{ client: ClickHouseClient; database: string }> {
  if (!shared) {
    const config = normaliseClickHouseConfig({
      url: process.env.CLICKHOUSE_URL,
      dataDir: process.env.CLICKHOUSE_URL ? undefined : mkdtempSync(join(tmpdir(), 'spoor-chdb-')),
    });
    shared = createClickHouse(config);
  }
  const database = `spoor_test_${randomBytes(4).toString('hex')}`;
  await migrate(shared, { database });
  return { client: shared, database };
}
