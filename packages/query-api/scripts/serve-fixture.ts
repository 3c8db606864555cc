// Serves the query API over the hand-written customer fixture (src/testing/customer-fixture.ts) on an embedded
// chDB, with the clock pinned at 2026-12-01T00:00Z — how the curl examples in docs/api-customers.md were produced.
//   npx tsx scripts/serve-fixture.ts      (PORT=8791 by default; key sk_test_customers_0123456789)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createClickHouse, migrate, normaliseClickHouseConfig, createMemoryKeyValue } from '@spoor/infra';
import { createQueryApi } from '../src/create-query-api.js';
import { CUSTOMER_FIXTURE } from '../src/testing/customer-fixture.js';
import { loadFixture } from '../src/testing/load-fixture.js';

const config = normaliseClickHouseConfig({ dataDir: mkdtempSync(join(tmpdir(), 'spoor-example-')), database: 'spoor_example' });
const clickhouse = createClickHouse(config);
await migrate(clickhouse, { database: config.database });
await loadFixture(clickhouse, config.database, CUSTOMER_FIXTURE);
const app = createQueryApi({ keyValue: createMemoryKeyValue(), clickhouse, database: config.database, now: () => new Date('2026-12-01T00:00:00Z') });
const port = Number(process.env.PORT ?? 8791);
serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => console.log(`example query API on http://127.0.0.1:${port}`));
