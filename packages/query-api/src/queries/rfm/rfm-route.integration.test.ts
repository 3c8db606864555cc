import { beforeAll, describe, expect, it } from 'vitest';
import { createMemoryKeyValue } from '@spoor/infra';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { createQueryApi, type QueryApi } from '../../create-query-api.js';
import { createQueryRunner } from '../../clickhouse/query-runner.js';
import { SEGMENT_SQL } from './rfm.js';
import { segmentOf } from './rfm-scoring.js';
import { fixedFrequencyScore, fixedFrequencySql, fixedMonetaryScore, fixedMonetarySql, fixedRecencyScore, fixedRecencySql } from './rfm-scoring-rule.js';
import fc from 'fast-check';
import { CUSTOMER_FIXTURE, CUSTOMER_KEY } from '../../testing/customer-fixture.js';
import { getJson, loadFixture } from '../../testing/index.js';

let app: QueryApi;
/** The default rule: the fixture's 4 buyers are far fewer than 100, so fixed thresholds score them. */
let defaultApp: QueryApi;
let ctx: Awaited<ReturnType<typeof freshClickHouseDatabase>>;

beforeAll(async () => {
  ctx = await freshClickHouseDatabase();
  await loadFixture(ctx.client, ctx.database, CUSTOMER_FIXTURE);
  // The quintile rule forced on the small fixture, so its tie rule can be checked by hand on 4 buyers.
  app = createQueryApi({ keyValue: createMemoryKeyValue(), clickhouse: ctx.client, database: ctx.database, now: () => new Date('2026-12-10T00:00:00Z'), logError: () => undefined, rfm: { quintileMinBuyers: 1 } });
  defaultApp = createQueryApi({ keyValue: createMemoryKeyValue(), clickhouse: ctx.client, database: ctx.database, now: () => new Date('2026-12-10T00:00:00Z'), logError: () => undefined });
});

const rfm = (query: string) => getJson(app, `/api/v1/rfm?site=shop-1&as_of=2026-11-30&${query}`, CUSTOMER_KEY);
const pick = (rows: Array<Record<string, unknown>>) => Object.fromEntries(rows.map((r) => [r.customer_id, [r.recency_days, r.frequency, r.monetary, r.r, r.f, r.m, r.segment]]));

/*
 * As of the end of 2026-11-30 (instant 2026-12-01 00:00). Only buyers are scored: c1, c2 (its anonymous order o4,
 * stitched), c3, c5 → N = 4; c4 and c6 never bought. score = 1 + floor(5·W/4), W = buyers strictly worse, so
 * W 0→1, 1→2 (5/4), 2→3 (10/4), 3→4 (15/4): with four buyers nobody reaches 5 — the formula's exact quintiles.
 * Purchase basis:          recency  F  M     W_r→R  W_f→F  W_m→M  FM=⌊(F+M+1)/2⌋  segment (first rule that holds)
 *   c1 last 11-29 10:00    1        3  600   3→4    3→4    2→3    4               Champions (R≥4, FM≥4)
 *   c3 last 10-15          47       2  600   1→2    2→3    2→3    3               At risk (R≤2, FM≥3; R≠1 so not Can't lose)
 *   c2 (anon order 11-25)  6        1  50    2→3    0→1    1→2    2               Potential loyalist (R≥3, FM≤2, not New: FM≠1)
 *   c5 06-01 (12-05 later) 183      1  20    0→1    0→1    0→1    1               Lost (R=1, FM≤2)
 * Ties: c1 and c3 both spent 600 — W_m = 2 (c2, c5) for both, both 3; c2 and c5 both have F 1 — W_f = 0, both 1.
 * c4, c6 (include=all only): recency null, F 0, M 0, no scores, "No purchase yet".
 */
describe('GET /api/v1/rfm', () => {
  it('purchase basis: buyers only, scored among buyers, ties share the lower score', async () => {
    const res = await rfm('');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ as_of: '2026-12-01T00:00:00.000Z', recency_basis: 'purchase', include: 'buyers', scoring: 'quintiles', buyers: 4, total: 4 });
    expect(res.body.customers.map((c: { customer_id: string }) => c.customer_id)).toEqual(['c1', 'c3', 'c2', 'c5']);
    expect(pick(res.body.customers)).toEqual({
      c1: [1, 3, 600, 4, 4, 3, 'Champions'],
      c3: [47, 2, 600, 2, 3, 3, 'At risk'],
      c2: [6, 1, 50, 3, 1, 2, 'Potential loyalist'],
      c5: [183, 1, 20, 1, 1, 1, 'Lost'],
    });
    expect(res.body.customers[0]).toMatchObject({ last_purchase: '2026-11-29T10:00:00.000Z', last_activity: '2026-11-29T20:03:00.000Z' });
  });

  it('include=all adds customers without a purchase, unscored, without changing the buyers\' scores', async () => {
    const res = await rfm('include=all');
    expect(res.body).toMatchObject({ include: 'all', total: 6 });
    expect(res.body.customers.map((c: { customer_id: string }) => c.customer_id)).toEqual(['c1', 'c3', 'c2', 'c5', 'c4', 'c6']);
    expect(pick(res.body.customers)).toEqual({
      c1: [1, 3, 600, 4, 4, 3, 'Champions'],
      c3: [47, 2, 600, 2, 3, 3, 'At risk'],
      c2: [6, 1, 50, 3, 1, 2, 'Potential loyalist'],
      c5: [183, 1, 20, 1, 1, 1, 'Lost'],
      c4: [null, 0, 0, null, null, null, 'No purchase yet'],
      c6: [null, 0, 0, null, null, null, 'No purchase yet'],
    });
    expect(res.body.customers.find((c: { customer_id: string }) => c.customer_id === 'c4')).toMatchObject({ last_purchase: null, last_activity: '2026-11-28T12:00:00.000Z' });
  });

  /*
   * Activity basis (non-bot events incl. human email opens; machine opens excluded), buyers N = 4 as above:
   *   c1 11-29 20:03 → 1 (W3→R4); c2 identify 11-26 00:00 → 5 (W2→R3); c3 10-15 → 47 (W1→R2);
   *   c5 06-01 → 183, its bot hit 11-30 ignored (W0→R1). F, M and so the segments as on the purchase basis:
   *   Champions, Potential loyalist, At risk, Lost.
   * Non-buyers keep their activity recency but no score: c6 human open 11-30 08:00 → 0;
   *   c4 visit 11-28 12:00 → 2 (its machine open 11-30 ignored).
   */
  it('activity basis: email opens count, machine-flagged opens and bots do not, anonymous visits are stitched', async () => {
    const res = await rfm('recency_basis=activity&include=all');
    expect(res.status).toBe(200);
    expect(Object.fromEntries(res.body.customers.map((c: Record<string, unknown>) => [c.customer_id, [c.recency_days, c.r, c.segment]]))).toEqual({
      c1: [1, 4, 'Champions'],
      c2: [5, 3, 'Potential loyalist'],
      c3: [47, 2, 'At risk'],
      c5: [183, 1, 'Lost'],
      c4: [2, null, 'No purchase yet'],
      c6: [0, null, 'No purchase yet'],
    });
  });

  /*
   * As of 2026-11-10 (instant 11-11 00:00): buyers c1 (o3 only), c3, c5 → N = 3; c6 has a visit but no order;
   * c2, c4 not yet seen. score = 1 + floor(5·W/3): W 0→1, 1→2 (5/3), 2→4 (10/3).
   *   c1 9 d, F1, 300: W_r 2→4, W_f 0→1, W_m 1→2, FM ⌊4/2⌋ = 2 → Potential loyalist (R≥3; FM≠1 so not New)
   *   c3 27 d, F2, 600: W_r 1→2, W_f 2→4, W_m 2→4, FM ⌊9/2⌋ = 4 → At risk (R≤2, FM≥3; R≠1)
   *   c5 163 d, F1, 20: W_r 0→1, W_f 0→1 (ties c1), W_m 0→1, FM 1 → Lost
   *   c6: No purchase yet
   */
  it('as_of moves the window: later customers and orders are not there yet', async () => {
    const res = await getJson(app, '/api/v1/rfm?site=shop-1&as_of=2026-11-10&include=all', CUSTOMER_KEY);
    expect(pick(res.body.customers)).toEqual({
      c1: [9, 1, 300, 4, 1, 2, 'Potential loyalist'],
      c3: [27, 2, 600, 2, 4, 4, 'At risk'],
      c5: [163, 1, 20, 1, 1, 1, 'Lost'],
      c6: [null, 0, 0, null, null, null, 'No purchase yet'],
    });
  });

  it('segment filter, paging and total', async () => {
    const lost = await rfm('segment=Lost');
    expect(lost.body.total).toBe(1);
    expect(lost.body.customers.map((c: { customer_id: string }) => c.customer_id)).toEqual(['c5']);
    const none = await rfm(`include=all&segment=${encodeURIComponent('No purchase yet')}`);
    expect(none.body.total).toBe(2);
    expect(none.body.customers.map((c: { customer_id: string }) => c.customer_id)).toEqual(['c4', 'c6']);
    const page = await rfm('include=all&limit=2&offset=2');
    expect(page.body.total).toBe(6);
    expect(page.body.customers.map((c: { customer_id: string }) => c.customer_id)).toEqual(['c2', 'c5']);
    const past = await rfm('limit=2&offset=50');
    expect(past.body).toMatchObject({ total: 4, customers: [], scoring: 'quintiles', buyers: 4 });
    // An empty answer still says which rule scored the site (N read from orders alone).
    const empty = await rfm('segment=Loyal');
    expect(empty.body).toMatchObject({ total: 0, customers: [], scoring: 'quintiles', buyers: 4 });
    expect((await getJson(defaultApp, '/api/v1/rfm?site=shop-1&as_of=2026-11-30&segment=Lost', CUSTOMER_KEY)).body).toMatchObject({ total: 0, scoring: 'fixed_thresholds', buyers: 4 });
  });

  it('400 naming the parameter for bad input', async () => {
    expect(await rfm('recency_basis=weekly')).toMatchObject({ status: 400, body: { error: { parameter: 'recency_basis' } } });
    expect(await rfm('segment=Whales')).toMatchObject({ status: 400, body: { error: { parameter: 'segment' } } });
    expect(await rfm('include=everyone')).toMatchObject({ status: 400, body: { error: { parameter: 'include' } } });
    // Non-buyers asked for while excluded: an error, not a silent empty list.
    expect(await rfm(`segment=${encodeURIComponent('No purchase yet')}`)).toMatchObject({ status: 400, body: { error: { parameter: 'segment' } } });
    expect((await getJson(app, '/api/v1/rfm?site=shop-1&as_of=soon', CUSTOMER_KEY)).body.error.parameter).toBe('as_of');
    expect(await rfm('limit=100000')).toMatchObject({ status: 400, body: { error: { parameter: 'limit' } } });
  });
});

/*
 * The default rule on the same data: 4 buyers < 100 → fixed thresholds. As of 12-01 00:00, purchase basis; the
 * buyers' 7 orders total 1270, so the average order is 181.43 and M = round-half-up(revenue × 7 / 1270), within 1–5.
 *   c1 1 d → R5; 3 orders → F3; 600 → 3.31 → M3; FM 3 → Loyal (R ≥ 3, FM ≥ 3; FM < 4 so not Champions)
 *   c3 47 d → R4; F2; 600 → M3; FM ⌊6/2⌋ = 3 → Loyal
 *   c2 6 d → R5; F1; 50 → 0.28 → M1; FM 1 → New (R ≥ 4, FM = 1)
 *   c5 183 d → R2 (181–365); F1; 20 → 0.11 → M1; FM 1 → Hibernating (R = 2, FM ≤ 2)
 * (Quintiles, above: Champions, At risk, Potential loyalist, Lost.) The activity basis moves no buyer across a
 * recency threshold (c2 5 d, the others as above).
 */
describe('the default rule on a small shop: fixed thresholds', () => {
  it('/rfm says which rule scored and scores by the thresholds, on both bases', async () => {
    for (const basis of ['purchase', 'activity']) {
      const res = await getJson(defaultApp, `/api/v1/rfm?site=shop-1&as_of=2026-11-30&include=all&recency_basis=${basis}`, CUSTOMER_KEY);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ scoring: 'fixed_thresholds', buyers: 4, total: 6 });
      expect(Object.fromEntries(res.body.customers.map((c: Record<string, unknown>) => [c.customer_id, [c.r, c.f, c.m, c.segment]]))).toEqual({
        c1: [5, 3, 3, 'Loyal'],
        c3: [4, 2, 3, 'Loyal'],
        c2: [5, 1, 1, 'New'],
        c5: [2, 1, 1, 'Hibernating'],
        c4: [null, null, null, 'No purchase yet'],
        c6: [null, null, null, 'No purchase yet'],
      });
    }
  });

  it('/rfm/segments counts the same segments and says which rule', async () => {
    const res = await getJson(defaultApp, '/api/v1/rfm/segments?site=shop-1&as_of=2026-11-30', CUSTOMER_KEY);
    expect(res.body).toMatchObject({ scoring: 'fixed_thresholds', buyers: 4, customers: 4 });
    const bySegment = Object.fromEntries(res.body.segments.map((s: Record<string, unknown>) => [s.segment, s.customers]));
    expect(bySegment).toEqual({ Champions: 0, Loyal: 2, 'Potential loyalist': 0, New: 1, 'At risk': 0, "Can't lose": 0, Hibernating: 1, Lost: 0 });
    // A site without any customer: no buyer, so the fixed thresholds (and nothing to score).
    const none = await getJson(defaultApp, '/api/v1/rfm/segments?site=shop-1&as_of=2020-01-01', CUSTOMER_KEY);
    expect(none.body).toMatchObject({ scoring: 'fixed_thresholds', buyers: 0, customers: 0 });
  });
});

describe('GET /api/v1/rfm/segments', () => {
  // The segments of the first test: one buyer each in Champions, At risk, Potential loyalist, Lost.
  it('sizes and value of every segment, empty ones included; buyers only by default', async () => {
    const res = await getJson(app, '/api/v1/rfm/segments?site=shop-1&as_of=2026-11-30', CUSTOMER_KEY);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ include: 'buyers', scoring: 'quintiles', buyers: 4, customers: 4 });
    const bySegment = Object.fromEntries(res.body.segments.map((s: Record<string, unknown>) => [s.segment, [s.customers, s.orders, s.monetary, s.avg_recency_days]]));
    expect(bySegment).toEqual({
      Champions: [1, 3, 600, 1],
      Loyal: [0, 0, 0, null],
      'Potential loyalist': [1, 1, 50, 6],
      New: [0, 0, 0, null],
      'At risk': [1, 2, 600, 47],
      "Can't lose": [0, 0, 0, null],
      Hibernating: [0, 0, 0, null],
      Lost: [1, 1, 20, 183],
    });
    expect(res.body.segments.find((s: { segment: string }) => s.segment === 'At risk').share).toBeCloseTo(1 / 4, 10);
  });

  it('include=all adds the "No purchase yet" segment and shares count every customer', async () => {
    const res = await getJson(app, '/api/v1/rfm/segments?site=shop-1&as_of=2026-11-30&include=all', CUSTOMER_KEY);
    expect(res.body).toMatchObject({ include: 'all', customers: 6 });
    expect(res.body.segments.map((s: { segment: string }) => s.segment).at(-1)).toBe('No purchase yet');
    expect(res.body.segments.at(-1)).toMatchObject({ customers: 2, orders: 0, monetary: 0, avg_recency_days: null });
    expect(res.body.segments.at(-1).share).toBeCloseTo(2 / 6, 10);
    expect(res.body.segments.find((s: { segment: string }) => s.segment === 'Champions').share).toBeCloseTo(1 / 6, 10);
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

describe('fixed thresholds: the TypeScript used by profiles and the SQL of /rfm are one rule', () => {
  it('agree on generated values, boundaries and huge sums included (exact integer arithmetic on both sides)', async () => {
    const runner = createQueryRunner({ client: ctx.client, database: ctx.database, maxExecutionTimeSeconds: 10 });
    const cases = fc.sample(
      fc.record({
        days: fc.oneof(fc.integer({ min: 0, max: 400 }), fc.constantFrom(0, 30, 31, 90, 91, 180, 181, 365, 366), fc.integer({ min: 0, max: 2_000_000 })),
        orders: fc.oneof(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 1_000_000_000 })),
        units: fc.bigInt({ min: 0n, max: 10n ** 22n }),
        totalOrders: fc.integer({ min: 1, max: 1_000_000_000 }),
        totalUnits: fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 26n }), fc.constant(0n)),
      }),
      { numRuns: 500, seed: 19 },
    );
    // Exact half-way cases: revenue of 2.5 and 0.5 average orders.
    cases.push({ days: 0, orders: 1, units: 25n, totalOrders: 10, totalUnits: 100n }, { days: 0, orders: 1, units: 5n, totalOrders: 10, totalUnits: 100n });
    const rows = await runner.rows<{ r: number; f: number; m: number }>(
      `SELECT ${fixedRecencySql('c.1')} AS r, ${fixedFrequencySql('c.2')} AS f, ${fixedMonetarySql('c.3', 'c.5', 'c.4')} AS m
       FROM (SELECT arrayJoin(arrayZip({days:Array(UInt32)}, {orders:Array(UInt64)}, arrayMap(x -> toInt256(x), {units:Array(String)}), {total_orders:Array(UInt64)}, arrayMap(x -> toInt256(x), {total_units:Array(String)}))) AS c)`,
      {
        days: cases.map((c) => c.days),
        orders: cases.map((c) => c.orders),
        units: cases.map((c) => c.units.toString()),
        total_orders: cases.map((c) => c.totalOrders),
        total_units: cases.map((c) => c.totalUnits.toString()),
      },
    );
    expect(rows.map((r) => [r.r, r.f, r.m])).toEqual(
      cases.map((c) => [fixedRecencyScore(c.days), fixedFrequencyScore(c.orders), fixedMonetaryScore(c.units, c.totalUnits, c.totalOrders)]),
    );
    expect(rows.at(-2)!.m).toBe(3);
    expect(rows.at(-1)!.m).toBe(1);
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
    // Which RFM rule scored: on /rfm, /rfm/segments and the profile's rfm block, with its meaning.
    for (const schema of ['RfmList', 'RfmSegments']) {
      expect(doc.components.schemas[schema].properties.scoring).toMatchObject({ enum: ['quintiles', 'fixed_thresholds'], description: expect.stringContaining('100 buyers') });
      expect(doc.components.schemas[schema].required).toEqual(expect.arrayContaining(['scoring', 'buyers']));
    }
    expect(JSON.stringify(doc.paths['/api/v1/customers/{id}'].get.responses['200'])).toContain('#/components/schemas/CustomerProfile');
    expect(doc.components.schemas.CustomerProfile.properties.rfm.properties.scoring).toMatchObject({ enum: ['quintiles', 'fixed_thresholds'] });
  });
});
