import { beforeAll, describe, expect, it } from 'vitest';
import { createMemoryKeyValue } from '@spoor/infra';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { createQueryApi, type QueryApi } from './create-query-api.js';
import { createQueryRunner } from './clickhouse/query-runner.js';
import { QueryTimeoutError } from './errors/query-api-errors.js';
import { getJson, loadFixture, postJson } from './testing/index.js';

const KEY = 'sk_test_shop1_0123456789';
let app: QueryApi;
let ctx: Awaited<ReturnType<typeof freshClickHouseDatabase>>;

beforeAll(async () => {
  ctx = await freshClickHouseDatabase();
  await loadFixture(ctx.client, ctx.database, {
    apiKeys: [
      { key: KEY, siteIds: ['shop-1'] },
      { key: 'sk_revoked', siteIds: ['shop-1'], revoked: true },
    ],
    sites: [{ site_id: 'shop-1', write_key: 'wk_public_shop1' }],
    events: [{ type: 'page_view', ts: '2026-11-02 10:00:00', anonymous_id: 'a1', path: '/' }],
  });
  app = createQueryApi({ keyValue: createMemoryKeyValue(), clickhouse: ctx.client, database: ctx.database, now: () => new Date('2026-11-10T00:00:00Z'), logError: () => undefined });
});

const overview = (query: string, key = KEY) => getJson(app, `/api/v1/overview?${query}`, key);

describe('access', () => {
  it('401 without a key, with an unknown key, with the public write key, with a revoked key', async () => {
    expect((await app.request('/api/v1/overview?site=shop-1')).status).toBe(401);
    for (const key of ['sk_nope', 'wk_public_shop1', 'sk_revoked']) {
      const res = await overview('site=shop-1', key);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
    const basic = await app.request('/api/v1/overview?site=shop-1', { headers: { authorization: `Basic ${btoa('a:b')}` } });
    expect(basic.status).toBe(401);
  });

  it('403 for a site the key is not scoped to, in the query or in a JSON body', async () => {
    const res = await overview('site=shop-2');
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('shop-2');
    expect((await postJson(app, '/api/v1/funnels', KEY, { site: 'shop-2' })).status).toBe(403);
  });

  it('400 naming the parameter: missing site, bad dates, inverted or too long ranges', async () => {
    expect(await overview('')).toMatchObject({ status: 400, body: { error: { code: 'invalid_parameter', parameter: 'site' } } });
    expect(await overview('site=shop-1&from=yesterday')).toMatchObject({ status: 400, body: { error: { parameter: 'from' } } });
    expect(await overview('site=shop-1&from=2026-11-05&to=2026-11-01')).toMatchObject({ status: 400, body: { error: { parameter: 'to' } } });
    expect(await overview('site=shop-1&from=2020-01-01&to=2026-11-01')).toMatchObject({ status: 400, body: { error: { parameter: 'from' } } });
    expect(await overview('site=shop-1&include_bots=yes')).toMatchObject({ status: 400, body: { error: { parameter: 'include_bots' } } });
  });

  it('400 for a body that is not JSON, never a 500', async () => {
    const res = await app.request('/api/v1/funnels', { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: '{not json' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.parameter).toBe('body');
  });

  it('404 as JSON for unknown paths', async () => {
    const res = await app.request('/nope');
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });

  it('serves with a scoped key; a date-only `to` covers that whole day', async () => {
    const res = await overview('site=shop-1&from=2026-11-02&to=2026-11-02');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from: '2026-11-02T00:00:00.000Z', to: '2026-11-03T00:00:00.000Z', totals: { page_views: 1 } });
  });
});

describe('openapi', () => {
  it('documents every /api/v1 operation with the bearer scheme, generated from the zod schemas', async () => {
    const res = await app.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const overviewOp = doc.paths['/api/v1/overview'].get;
    expect(overviewOp.security).toEqual([{ bearerAuth: [] }]);
    expect(overviewOp.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['site', 'from', 'to']));
  });
});

describe('ClickHouse execution limit', () => {
  it('a query over max_execution_time becomes a typed timeout (504)', async () => {
    const runner = createQueryRunner({ client: ctx.client, database: ctx.database, maxExecutionTimeSeconds: 1 });
    await expect(runner.rows('SELECT sleepEachRow(0.5) FROM numbers(10) SETTINGS max_block_size = 1', {})).rejects.toBeInstanceOf(QueryTimeoutError);
  });
});
