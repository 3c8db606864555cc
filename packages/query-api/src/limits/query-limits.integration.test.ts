import type { ClickHouseClient } from '@clickhouse/client';
import { createMemoryKeyValue } from '@spoor/infra';
import { beforeAll, describe, expect, it } from 'vitest';
import { createQueryApi } from '../create-query-api.js';
import { postJson, queryApiWithFixture } from '../testing/index.js';

// The limits through the real query API over real chDB: a funnel over enough events that it cannot finish within
// a millisecond nor within a few megabytes.
const KEY = 'sk_limits';
const NOW = () => new Date('2026-11-10T00:00:00Z');
const FUNNEL = {
  site: 'shop-1',
  from: '2026-11-01',
  to: '2026-11-07',
  window_seconds: 3600,
  steps: [{ type: 'page_view' }, { type: 'add_to_cart' }, { type: 'checkout_start' }, { type: 'purchase' }],
};

let client: ClickHouseClient;
let database: string;
beforeAll(async () => {
  ({ client, database } = await queryApiWithFixture({ apiKeys: [{ key: KEY, siteIds: ['shop-1'] }] }, { now: NOW }));
  // 600,000 events of 50,000 visitors over six days, the four funnel steps in turn.
  await client.command({
    query: `INSERT INTO {db:Identifier}.events (site_id, event_id, type, ts, device_ts, received_at, anonymous_id, session_id, path)
            SELECT 'shop-1', generateUUIDv4(), ['page_view', 'add_to_cart', 'checkout_start', 'purchase'][number % 4 + 1],
                   toDateTime64('2026-11-01 00:00:00', 3, 'UTC') + toIntervalSecond(number % 518400) AS t, t, t,
                   concat('v', toString(number % 50000)), concat('v', toString(number % 50000), '-s'), '/p'
            FROM numbers(600000)`,
    query_params: { db: database },
  });
});

const api = (limits: Parameters<typeof createQueryApi>[0]['limits']) => createQueryApi({ keyValue: createMemoryKeyValue(), clickhouse: client, database, now: NOW, limits });

describe('query limits against chDB', () => {
  it('a query past max_execution_time is 504 query_timeout, never 500', async () => {
    const { status, body } = await postJson(api({ maxExecutionTimeSeconds: 0.001 }), '/api/v1/funnels', KEY, FUNNEL);
    expect({ status, code: body.error?.code }).toEqual({ status: 504, code: 'query_timeout' });
    expect(body.error.message).toMatch(/execution limit/);
  });

  it('a query past max_memory_usage is 422 query_memory_limit, never 500; the next request with the default limit answers', async () => {
    const { status, body } = await postJson(api({ maxMemoryBytes: 2_000_000 }), '/api/v1/funnels', KEY, FUNNEL);
    expect({ status, code: body.error?.code }).toEqual({ status: 422, code: 'query_memory_limit' });
    // chDB keeps settings per session: the default limit is set again for the next query, which succeeds.
    const ok = await postJson(api({}), '/api/v1/funnels', KEY, FUNNEL);
    expect(ok.status).toBe(200);
    // Page views are rows with number % 4 = 0, so visitors v0, v4, …: 12,500 of them.
    expect(ok.body.steps[0].count).toBe(12_500);
  });

  it('20 parallel funnels from one key: 2 run, 4 wait and are answered, 14 are 429 with Retry-After, none 5xx', async () => {
    // Default slots and queue; only the wait bound is lifted, so a slow machine cannot turn a queued request into a 503.
    const app = api({ maxQueueWaitMs: 120_000 });
    const responses = await Promise.all(
      Array.from({ length: 20 }, async () =>
        app.request('/api/v1/funnels', { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(FUNNEL) }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    // All twenty reach the limiter together (one shared key lookup): 2 running + 4 waiting per key by default.
    expect(statuses.filter((s) => s === 200)).toHaveLength(6);
    expect(statuses.filter((s) => s === 429)).toHaveLength(14);
    for (const r of responses.filter((r) => r.status === 429)) {
      expect(r.headers.get('retry-after')).toBe('120');
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    }
  });
});
