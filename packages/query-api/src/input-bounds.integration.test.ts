import type { AddressInfo } from 'node:net';
import { createMemoryKeyValue } from '@spoor/infra';
import { serve } from '@hono/node-server';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { createClickHouseApiKeyStore, type ApiKeyStore } from './auth/api-key-store.js';
import { createQueryRunner } from './clickhouse/query-runner.js';
import { createQueryApi, DEFAULT_MAX_BODY_BYTES, type QueryApi } from './create-query-api.js';
import { bearer, getJson, loadFixture, postJson } from './testing/index.js';

// The inputs that answered 500 (or 200) before: each is now a 4xx naming its parameter, or works.
const KEY = 'sk_bounds_0123456789';
let app: QueryApi;
let ctx: Awaited<ReturnType<typeof freshClickHouseDatabase>>;
let storeLookups = 0;
let store: ApiKeyStore;

beforeAll(async () => {
  ctx = await freshClickHouseDatabase();
  await loadFixture(ctx.client, ctx.database, {
    apiKeys: [{ key: KEY, siteIds: ['shop-1'] }],
    events: [{ type: 'page_view', ts: '2026-11-02 10:00:00', anonymous_id: 'a1', path: '/', customer_id: 'c1' }],
  });
  const real = createClickHouseApiKeyStore(createQueryRunner({ client: ctx.client, database: ctx.database, maxExecutionTimeSeconds: 10 }));
  store = { findByHash: (hash) => ((storeLookups += 1), real.findByHash(hash)) };
  app = createQueryApi({ keyValue: createMemoryKeyValue(), clickhouse: ctx.client, database: ctx.database, apiKeyStore: store, now: () => new Date('2026-11-10T00:00:00Z'), logError: () => undefined });
});

const get = (query: string, path = '/api/v1/overview') => getJson(app, `${path}?${query}`, KEY);
const rules = (where: unknown) => ({ site: 'shop-1', definition: { all: [{ event: 'visit', op: '>=', count: 1, within_days: 30, where: [where] }] } });

describe('dates', () => {
  it('400 naming the parameter outside 1970-01-01 … 2200-12-31, and for days that do not exist', async () => {
    const cases: Array<[string, string, string?]> = [
      ['to=9999-12-31', 'to'],
      ['to=0000-01-01', 'to'],
      ['from=1969-12-31', 'from'],
      ['to=2201-01-01', 'to'],
      ['from=2026-02-31', 'from'],
      ['from=2026-11-01T10:00:00', 'from'],
      ['as_of=%2B275760-09-13T00:00:00Z', 'as_of', '/api/v1/rfm'],
      ['as_of=-271821-04-20T00:00:00Z', 'as_of', '/api/v1/rfm/segments'],
    ];
    for (const [query, parameter, path] of cases) {
      const res = await get(`site=shop-1&${query}`, path);
      expect(res, query).toMatchObject({ status: 400, body: { error: { code: 'invalid_parameter', parameter } } });
    }
  });
  it('the edges themselves work', async () => {
    expect((await get('site=shop-1&from=1970-01-01&to=1970-01-31')).status).toBe(200);
    expect((await get('site=shop-1&from=2200-12-01&to=2200-12-31')).status).toBe(200);
    expect((await get('site=shop-1&as_of=2200-12-31', '/api/v1/rfm')).status).toBe(200);
    expect((await get('site=shop-1&as_of=1970-01-01', '/api/v1/rfm')).status).toBe(200);
  });
});

describe('numbers, text, ops', () => {
  it('"in" on a numeric property is a 400 on op, not SQL holding undefined', async () => {
    const res = await postJson(app, '/api/v1/audiences/preview', KEY, rules({ property: 'price', op: 'in', value: ['1'] }));
    expect(res).toMatchObject({ status: 400, body: { error: { parameter: 'definition.all.0.where.0.op' } } });
  });
  it('numbers beyond ±2^53 are a 400 naming the field', async () => {
    for (const value of [1e308, -1e308, 2 ** 53 + 2]) {
      const res = await postJson(app, '/api/v1/audiences/preview', KEY, rules({ property: 'price', op: 'gt', value }));
      expect(res).toMatchObject({ status: 400, body: { error: { parameter: 'definition.all.0.where.0.value' } } });
    }
    expect(await postJson(app, '/api/v1/funnels', KEY, { site: 'shop-1', steps: [{ type: 'page_view' }, { type: 'purchase' }], window_seconds: 1e308 })).toMatchObject({
      status: 400,
      body: { error: { parameter: 'window_seconds' } },
    });
    expect(await get('site=shop-1&limit=1e308')).toMatchObject({ status: 400, body: { error: { parameter: 'limit' } } });
  });
  it('lone surrogates and NUL are a 400 naming the field, in bodies, keys, query strings and path ids', async () => {
    const name = await postJson(app, '/api/v1/audiences', KEY, { ...rules({ property: 'path', op: 'eq', value: '/' }), name: 'a\ud800b' });
    expect(name).toMatchObject({ status: 400, body: { error: { parameter: 'name' } } });
    const nul = await postJson(app, '/api/v1/audiences/preview', KEY, rules({ property: 'path', op: 'eq', value: 'a\u0000' }));
    expect(nul).toMatchObject({ status: 400, body: { error: { parameter: 'definition.all.0.where.0.value' } } });
    // Escapes that decode to no text stay literal text (Hono keeps what decodeURIComponent refuses): no 5xx.
    expect((await get('site=shop-1&channel=%ED%A0%80')).status).toBe(200);
    expect(await get('site=shop-1&channel=a%00b')).toMatchObject({ status: 400, body: { error: { parameter: 'channel' } } });
    expect((await getJson(app, '/api/v1/customers/c%00?site=shop-1', KEY)).status).toBe(400);
  });
  it('deep nesting is a 400, never a stack overflow', async () => {
    const deep = '{"site":"shop-1","definition":' + '{"all":['.repeat(10_000) + '1' + ']}'.repeat(10_000) + '}';
    const res = await postJson(app, '/api/v1/audiences/preview', KEY, deep);
    expect(res.status).toBe(400);
  });
});

describe('request shape', () => {
  it(`bodies over ${DEFAULT_MAX_BODY_BYTES} bytes are a 413 before they are read, with or without a content-length`, async () => {
    const big = JSON.stringify({ site: 'shop-1', steps: [{ type: 'page_view' }, { type: 'purchase' }], pad: 'x'.repeat(DEFAULT_MAX_BODY_BYTES) });
    const sized = await postJson(app, '/api/v1/funnels', KEY, big);
    expect(sized).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    const chunks = new TextEncoder().encode(big);
    const streamed = await app.request('/api/v1/funnels', {
      method: 'POST',
      headers: { ...bearer(KEY), 'content-type': 'application/json' },
      body: new ReadableStream({ start: (c) => (c.enqueue(chunks), c.close()) }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });
  it('unknown query parameters and body fields are a 400 naming them', async () => {
    expect(await get('site=shop-1&colour=red')).toMatchObject({ status: 400, body: { error: { parameter: 'colour' } } });
    expect(await get('site=shop-1&Site=shop-1')).toMatchObject({ status: 400, body: { error: { parameter: 'Site' } } });
    expect(await get('site=shop-1&limit=5&limit=6')).toMatchObject({ status: 400, body: { error: { parameter: 'limit' } } });
    const body = await postJson(app, '/api/v1/audiences/preview', KEY, { ...rules({ property: 'path', op: 'eq', value: '/' }), extra: 1 });
    expect(body).toMatchObject({ status: 400, body: { error: { parameter: 'extra' } } });
  });
  it('a site named twice differently is a 400; named twice identically is fine', async () => {
    expect(await get('site=shop-1&site=shop-2')).toMatchObject({ status: 400, body: { error: { parameter: 'site' } } });
    expect((await get('site=shop-1&site=shop-1')).status).toBe(200);
    const both = await postJson(app, '/api/v1/funnels?site=shop-2', KEY, { site: 'shop-1', steps: [{ type: 'page_view' }, { type: 'purchase' }] });
    expect(both).toMatchObject({ status: 400, body: { error: { parameter: 'site' } } });
    const twiceInBody = await postJson(app, '/api/v1/funnels', KEY, '{"site":"shop-1","steps":[{"type":"page_view"},{"type":"purchase"}],"site":"shop-2"}');
    expect(twiceInBody).toMatchObject({ status: 400, body: { error: { parameter: 'site' } } });
  });
  it('unknown /api paths and methods are a JSON 404', async () => {
    for (const [method, path] of [['GET', '/api/v1/nope'], ['GET', '/api/v1/funnels'], ['POST', '/api/v2/overview']] as const) {
      const res = await app.request(`${path}?site=shop-1`, { method, headers: bearer(KEY) });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect((await res.json()).error.code).toBe('not_found');
    }
  });
});

describe('failed API keys', () => {
  it('are rate limited per client address: 429 with Retry-After, and the store is no longer asked', async () => {
    const limited = createQueryApi({
      keyValue: createMemoryKeyValue(),
      clickhouse: ctx.client,
      database: ctx.database,
      apiKeyStore: store,
      failedKeyLookups: { burst: 5, perSecond: 0.01 },
      clientAddress: (c) => c.req.header('x-test-client') ?? '',
    });
    const attempt = (key: string, client = 'attacker') =>
      limited.request('/api/v1/overview?site=shop-1', { headers: { ...bearer(key), 'x-test-client': client } });
    const before = storeLookups;
    const statuses: number[] = [];
    for (let i = 0; i < 50; i += 1) statuses.push((await attempt(`sk_guess_${i}`)).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(new Set(statuses.slice(5))).toEqual(new Set([429]));
    expect(storeLookups - before).toBe(5);
    const res = await attempt('sk_guess_x');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await res.json()).error.code).toBe('rate_limited');
    // Another address is unaffected, and a valid key from it works.
    expect((await attempt(KEY, 'analyst')).status).toBe(200);
  });

  it('over a real socket, the peer address is what is limited', async () => {
    const served = createQueryApi({ keyValue: createMemoryKeyValue(), clickhouse: ctx.client, database: ctx.database, apiKeyStore: store, failedKeyLookups: { burst: 3, perSecond: 0.01 } });
    const server = serve({ fetch: served.fetch, port: 0, hostname: '127.0.0.1' });
    try {
      await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
      const { port } = server.address() as AddressInfo;
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) {
        // A forged X-Forwarded-For does not buy a fresh budget.
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/overview?site=shop-1`, { headers: { ...bearer(`sk_guess_${i}`), 'x-forwarded-for': `203.0.113.${i}` } });
        statuses.push(res.status);
        await res.arrayBuffer();
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
