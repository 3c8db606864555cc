import { beforeAll, describe, expect, it } from 'vitest';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { createQueryApi, type QueryApi } from '../create-query-api.js';
import { createQueryRunner } from '../clickhouse/query-runner.js';
import { SEGMENT_SQL } from '../queries/rfm.js';
import { segmentOf } from '../queries/rfm-scoring.js';
import { CUSTOMER_FIXTURE, CUSTOMER_KEY } from '../testing/customer-fixture.js';
import { getJson, loadFixture } from '../testing/index.js';

let app: QueryApi;
let ctx: Awaited<ReturnType<typeof freshClickHouseDatabase>>;

beforeAll(async () => {
  ctx = await freshClickHouseDatabase();
  await loadFixture(ctx.client, ctx.database, CUSTOMER_FIXTURE);
  app = createQueryApi({ clickhouse: ctx.client, database: ctx.database, now: () => new Date('2026-12-10T00:00:00Z'), logError: () => undefined });
});

const rfm = (query: string) => getJson(app, `/api/v1/rfm?site=shop-1&as_of=2026-11-30&${query}`, CUSTOMER_KEY);
const pick = (rows: Array<Record<string, unknown>>) => Object.fromEntries(rows.map((r) => [r.customer_id, [r.recency_days, r.frequency, r.monetary, r.r, r.f, r.m, r.segment]]));

/*
 * As of the end of 2026-11-30 (instant 2026-12-01 00:00), N = 6 customers; score = 1 + floor(5·W/6), W = strictly worse.
 * Purchase basis:          recency  F  M     W_r→R  W_f→F  W_m→M  FM=⌊(F+M+1)/2⌋  segment
 *   c1 last 11-29 10:00    1        3  600   5→5    5→5    4→4    5               Champions
 *   c2 (anon order 11-25)  6        1  50    4→4    2→2    3→3    3               Loyal (R≥3, FM≥3)
 *   c3 last 10-15          47       2  600   3→3    4→4    4→4    4               Loyal (tie on M with c1: both 4)
 *   c4 never purchased     null     0  0     0→1    0→1    0→1    1               Lost
 *   c5 06-01 (12-05 later) 183      1  20    2→2    2→2    2→2    2               Hibernating
 *   c6 never purchased     null     0  0     0→1    0→1    0→1    1               Lost
 */
describe('GET /api/v1/rfm', () => {
  it('purchase basis: hand-computed scores, ties share the lower score, no-purchase customers included', async () => {
    const res = await rfm('');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ as_of: '2026-12-01T00:00:00.000Z', recency_basis: 'purchase', total: 6 });
    expect(res.body.customers.map((c: { customer_id: string }) => c.customer_id)).toEqual(['c1', 'c3', 'c2', 'c5', 'c4', 'c6']);
    expect(pick(res.body.customers)).toEqual({
      c1: [1, 3, 600, 5, 5, 4, 'Champions'],
      c3: [47, 2, 600, 3, 4, 4, 'Loyal'],
      c2: [6, 1, 50, 4, 2, 3, 'Loyal'],
      c5: [183, 1, 20, 2, 2, 2, 'Hibernating'],
      c4: [null, 0, 0, 1, 1, 1, 'Lost'],
      c6: [null, 0, 0, 1, 1, 1, 'Lost'],
    });
    expect(res.body.customers[0]).toMatchObject({ last_purchase: '2026-11-29T10:00:00.000Z', last_activity: '2026-11-29T20:03:00.000Z' });
    expect(res.body.customers.find((c: { customer_id: string }) => c.customer_id === 'c4').last_purchase).toBeNull();
  });

  /*
   * Activity basis (non-bot events incl. human email opens; machine opens excluded):
   *   c6 human open 11-30 08:00 → 0 (W5→R5, FM1: New); c1 11-29 20:03 → 1 (W4→R4, FM5: Champions);
   *   c4 visit 11-28 12:00 → 2, its machine open 11-30 ignored (W3→R3, FM1: Potential loyalist);
   *   c2 identify 11-26 → 5 (W2→R2, FM3: At risk); c3 10-15 → 47 (W1→R1, FM4: Can't lose);
   *   c5 06-01 → 183, its bot hit 11-30 ignored (W0→R1, FM2: Lost).
   */
  it('activity basis: email opens count, machine-flagged opens and bots do not, anonymous visits are stitched', async () => {
    const res = await rfm('recency_basis=activity');
    expect(res.status).toBe(200);
    expect(Object.fromEntries(res.body.customers.map((c: Record<string, unknown>) => [c.customer_id, [c.recency_days, c.r, c.segment]]))).toEqual({
      c6: [0, 5, 'New'],
      c1: [1, 4, 'Champions'],
      c4: [2, 3, 'Potential loyalist'],
      c2: [5, 2, 'At risk'],
      c3: [47, 1, "Can't lose"],
      c5: [183, 1, 'Lost'],
    });
  });

  /*
   * As of 2026-11-10 (instant 11-11 00:00): N = 4 (c1 via o3 and its stitched anonymous visit, c3, c5, c6); c2, c4 not yet.
   *   c1 9 d, F1, 300: W_r 3→4, W_f 1→2, W_m 2→3, FM 3 → Loyal      c3 27 d, F2, 600: 2→3, 3→4, 3→4, FM 4 → Loyal
   *   c5 163 d, F1, 20: 1→2, 1→2, 1→2, FM 2 → Hibernating          c6 never: 1, 1, 1 → Lost
   */
  it('as_of moves the window: later customers and orders are not there yet', async () => {
    const res = await getJson(app, '/api/v1/rfm?site=shop-1&as_of=2026-11-10', CUSTOMER_KEY);
    expect(pick(res.body.customers)).toEqual({
      c1: [9, 1, 300, 4, 2, 3, 'Loyal'],
      c3: [27, 2, 600, 3, 4, 4, 'Loyal'],
      c5: [163, 1, 20, 2, 2, 2, 'Hibernating'],
      c6: [null, 0, 0, 1, 1, 1, 'Lost'],
    });
  });

  it('segment filter, paging and total', async () => {
    const lost = await rfm('segment=Lost');
    expect(lost.body.total).toBe(2);
    expect(lost.body.customers.map((c: { customer_id: string }) => c.customer_id)).toEqual(['c4', 'c6']);
    const page = await rfm('limit=2&offset=2');
    expect(page.body.total).toBe(6);
    expect(page.body.customers.map((c: { customer_id: string }) => c.customer_id)).toEqual(['c2', 'c5']);
    const past = await rfm('limit=2&offset=50');
    expect(past.body).toMatchObject({ total: 6, customers: [] });
  });

  it('400 naming the parameter for bad input', async () => {
    expect(await rfm('recency_basis=weekly')).toMatchObject({ status: 400, body: { error: { parameter: 'recency_basis' } } });
    expect(await rfm('segment=Whales')).toMatchObject({ status: 400, body: { error: { parameter: 'segment' } } });
    expect((await getJson(app, '/api/v1/rfm?site=shop-1&as_of=soon', CUSTOMER_KEY)).body.error.parameter).toBe('as_of');
    expect(await rfm('limit=100000')).toMatchObject({ status: 400, body: { error: { parameter: 'limit' } } });
  });
});

describe('GET /api/v1/rfm/segments', () => {
  it('sizes and value of every segment, empty ones included', async () => {
    const res = await getJson(app, '/api/v1/rfm/segments?site=shop-1&as_of=2026-11-30', CUSTOMER_KEY);
    expect(res.status).toBe(200);
    expect(res.body.customers).toBe(6);
    const bySegment = Object.fromEntries(res.body.segments.map((s: Record<string, unknown>) => [s.segment, [s.customers, s.orders, s.monetary, s.avg_recency_days]]));
    expect(bySegment).toEqual({
      Champions: [1, 3, 600, 1],
      Loyal: [2, 3, 650, 26.5],
      'Potential loyalist': [0, 0, 0, null],
      New: [0, 0, 0, null],
      'At risk': [0, 0, 0, null],
      "Can't lose": [0, 0, 0, null],
      Hibernating: [1, 1, 20, 183],
      Lost: [2, 0, 0, null],
    });
    expect(res.body.segments.find((s: { segment: string }) => s.segment === 'Loyal').share).toBeCloseTo(2 / 6, 10);
  });
});

describe('segment rules', () => {
  it('the TypeScript mirror used by profiles agrees with the SQL for all 125 score combinations', async () => {
    const runner = createQueryRunner({ client: ctx.client, database: ctx.database, maxExecutionTimeSeconds: 10 });
    const rows = await runner.rows<{ r: number; f: number; m: number; segment: string }>(
      `SELECT r, f, m, ${SEGMENT_SQL} AS segment FROM (SELECT r, f, m, intDiv(f + m + 1, 2) AS fm FROM
       (SELECT 1 + intDiv(number, 25) AS r, 1 + intDiv(number, 5) % 5 AS f, 1 + number % 5 AS m FROM numbers(125)))`,
      {},
    );
    expect(rows).toHaveLength(125);
    for (const row of rows) expect([row.r, row.f, row.m, segmentOf(row.r, row.f, row.m)]).toEqual([row.r, row.f, row.m, row.segment]);
  });
});

describe('openapi', () => {
  it('documents every part-2 operation', async () => {
    const doc = await (await app.request('/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/rfm', '/api/v1/rfm/segments', '/api/v1/audiences', '/api/v1/audiences/preview', '/api/v1/audiences/{id}', '/api/v1/audiences/{id}/members', '/api/v1/customers/{id}', '/api/v1/products/abc']),
    );
    expect(Object.keys(doc.paths['/api/v1/customers/{id}'])).toEqual(expect.arrayContaining(['get', 'delete']));
    // The audience definition is documented down to its conditions (groups are unrolled level by level).
    const body = JSON.stringify(doc.paths['/api/v1/audiences/preview'].post.requestBody);
    expect(body).toContain('"all"');
    expect(body).toContain('#/components/schemas/AudienceCondition');
  });
});
