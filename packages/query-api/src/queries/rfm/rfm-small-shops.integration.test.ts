import { beforeAll, describe, expect, it } from 'vitest';
import { createMemoryKeyValue } from '@spoor/infra';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { createQueryApi, type QueryApi } from '../../create-query-api.js';
import { getJson, loadFixture, type Fixture } from '../../testing/index.js';

/**
 * The default RFM rule at 1, 2, 5 and 1 000 buyers, with the expectations worked out by hand: below 100 buyers the
 * fixed thresholds (R by days ≤ 30/90/180/365, F = orders up to 5, M = revenue in average orders rounded half up,
 * 1–5), from 100 on quintiles. The profile must say the same as GET /rfm for every buyer (one rule, one population).
 * Clock and as_of: 2026-12-01 00:00 UTC.
 */
const KEY = 'sk_test_rfm_small_0123456789';
const NOW = new Date('2026-12-01T00:00:00Z');
const SITES = ['one', 'two', 'five', 'thousand'];
let app: QueryApi;
let database: Awaited<ReturnType<typeof freshClickHouseDatabase>>;

/** 'YYYY-MM-DD HH:MM:SS.mmm' `ms` before NOW. */
const before = (ms: number) => new Date(NOW.getTime() - ms).toISOString().replace('T', ' ').replace('Z', '');
const DAY = 86_400_000;

/** A customer with an identity and orders (revenue, days ago) on `site`. */
function customer(site: string, id: string, orders: Array<[revenue: number, agoMs: number]>): Fixture {
  const anon = `a-${site}-${id}`;
  const first = before(Math.max(...orders.map(([, ago]) => ago)) + 60_000);
  return {
    identities: [{ site_id: site, anonymous_id: anon, customer_id: id, first_seen: first }],
    orders: orders.map(([revenue, ago], i) => ({ site_id: site, order_id: `${site}-${id}-o${i}`, ts: before(ago), anonymous_id: anon, customer_id: id, revenue, currency: 'EUR' })),
  };
}

function merge(parts: Fixture[]): Fixture {
  return { identities: parts.flatMap((p) => p.identities ?? []), orders: parts.flatMap((p) => p.orders ?? []) };
}

/*
 * 1 000 buyers q0 … q999 (quintiles): q k bought last ⌊k/2⌋ days ago (pairs tie), 1 order when k mod 5 ∈ {0,1,2}
 * (600 buyers), 2 when 3 (200), 7 when 4 (200); revenue 10·(k+1) on the last order, the earlier ones 0.
 *   R: buyers strictly worse (more days) = 1000 − 2(⌊k/2⌋ + 1) → R5 for ⌊k/2⌋ ≤ 99, R4 100–199, R3 200–299, R2 300–399, R1 400–499.
 *   F: 1 order W 0 → F1; 2 orders W 600 → 1 + ⌊3000/1000⌋ = F4; 7 orders W 800 → F5.
 *   M: W = k → M = 1 + ⌊5k/1000⌋ (k < 200 → 1, … 800–999 → 5).
 */
function thousand(): Fixture {
  const parts: Fixture[] = [];
  for (let k = 0; k < 1000; k++) {
    const days = Math.floor(k / 2);
    const orders = k % 5 === 4 ? 7 : k % 5 === 3 ? 2 : 1;
    // The last order an hour into its day (whole days = `days`), older ones a day apart before it.
    const list: Array<[number, number]> = [[10 * (k + 1), days * DAY + 3_600_000]];
    for (let j = 1; j < orders; j++) list.push([0, (days + j) * DAY + 3_600_000]);
    parts.push(customer('thousand', `q${k}`, list));
  }
  return merge(parts);
}

beforeAll(async () => {
  const ctx = await freshClickHouseDatabase();
  database = ctx;
  await loadFixture(ctx.client, ctx.database, {
    ...merge([
      // 1 buyer, who bought 10 seconds ago.
      customer('one', 'b1', [[49.9, 10_000]]),
      // 2 buyers: A 2 orders (last 3 days ago), 120; B 1 order 200 days ago, 30.
      customer('two', 'A', [[60, 3 * DAY], [60, 20 * DAY]]),
      customer('two', 'B', [[30, 200 * DAY]]),
      // 5 buyers, 13 orders, 1 300 in all.
      customer('five', 'c1', [[100, 1.5 * DAY], ...Array.from({ length: 5 }, (_, i): [number, number] => [100, (40 + i) * DAY])]),
      customer('five', 'c2', [[100, 45 * DAY], [100, 91 * DAY], [100, 122 * DAY]]),
      customer('five', 'c3', [[100, 100 * DAY]]),
      customer('five', 'c4', [[125, 300 * DAY], [125, 310 * DAY]]),
      customer('five', 'c5', [[50, 400 * DAY]]),
      thousand(),
    ]),
    apiKeys: [{ key: KEY, siteIds: SITES }],
  });
  app = createQueryApi({ keyValue: createMemoryKeyValue(), clickhouse: ctx.client, database: ctx.database, now: () => NOW, logError: () => undefined });
}, 120_000);

type Row = { customer_id: string; recency_days: number; frequency: number; monetary: number; r: number; f: number; m: number; segment: string };

async function scored(site: string): Promise<{ scoring: string; buyers: number; byId: Record<string, [number, number, number, string]> }> {
  const res = await getJson(app, `/api/v1/rfm?site=${site}&limit=1000`, KEY);
  expect(res.status).toBe(200);
  const byId = Object.fromEntries((res.body.customers as Row[]).map((c) => [c.customer_id, [c.r, c.f, c.m, c.segment] as [number, number, number, string]]));
  return { scoring: res.body.scoring, buyers: res.body.buyers, byId };
}

async function expectProfileAgrees(site: string, id: string, listed: [number, number, number, string], scoring: string, buyers: number) {
  const p = await getJson(app, `/api/v1/customers/${id}?site=${site}`, KEY);
  expect(p.status).toBe(200);
  expect([p.body.rfm.r, p.body.rfm.f, p.body.rfm.m, p.body.rfm.segment, p.body.rfm.scoring, p.body.rfm.population]).toEqual([...listed, scoring, buyers]);
}

describe('RFM by shop size (default rule)', () => {
  it('1 buyer who bought seconds ago: New (R5: 0 days; F1; M1: one average order), not "Lost"', async () => {
    const { scoring, buyers, byId } = await scored('one');
    expect([scoring, buyers]).toEqual(['fixed_thresholds', 1]);
    expect(byId).toEqual({ b1: [5, 1, 1, 'New'] });
    await expectProfileAgrees('one', 'b1', byId.b1!, scoring, 1);
  });

  it('2 buyers: average order 150 / 3 = 50', async () => {
    // A: 3 d → R5, 2 orders → F2, 120 = 2.4 orders → M2, FM 2 → Potential loyalist.
    // B: 200 d → R2, F1, 30 = 0.6 → M1, FM 1 → Hibernating.
    const { scoring, buyers, byId } = await scored('two');
    expect([scoring, buyers]).toEqual(['fixed_thresholds', 2]);
    expect(byId).toEqual({ A: [5, 2, 2, 'Potential loyalist'], B: [2, 1, 1, 'Hibernating'] });
    for (const id of ['A', 'B']) await expectProfileAgrees('two', id, byId[id]!, scoring, 2);
  });

  it('5 buyers: average order 1300 / 13 = 100, a tie on the half rounds up', async () => {
    //   c1 1 d, 6 orders, 600 (6 → M5): R5 F5 M5 Champions · c2 45 d, 3 orders, 300: R4 F3 M3 Loyal
    //   c3 100 d, 1 order, 100: R3 F1 M1 Potential loyalist · c4 300 d, 2 orders, 250 (2.5 → 3): R2 F2 M3 At risk
    //   c5 400 d, 1 order, 50 (0.5 → 1): R1 F1 M1 Lost
    const { scoring, buyers, byId } = await scored('five');
    expect([scoring, buyers]).toEqual(['fixed_thresholds', 5]);
    expect(byId).toEqual({
      c1: [5, 5, 5, 'Champions'],
      c2: [4, 3, 3, 'Loyal'],
      c3: [3, 1, 1, 'Potential loyalist'],
      c4: [2, 2, 3, 'At risk'],
      c5: [1, 1, 1, 'Lost'],
    });
    for (const id of Object.keys(byId)) await expectProfileAgrees('five', id, byId[id]!, scoring, 5);
    const segments = await getJson(app, '/api/v1/rfm/segments?site=five', KEY);
    expect(segments.body).toMatchObject({ scoring: 'fixed_thresholds', buyers: 5, customers: 5 });
  });

  it('the switch is at the configured number of buyers, inclusive, for /rfm and the profile alike', async () => {
    // Five buyers; F by orders 6, 3, 1, 2, 1 — fixed: 5, 3, 1, 2, 1; quintiles (W = 4, 3, 0, 2, 0): 5, 4, 1, 3, 1.
    for (const [min, scoring, f] of [[5, 'quintiles', [5, 4, 1, 3, 1]], [6, 'fixed_thresholds', [5, 3, 1, 2, 1]]] as const) {
      const api = createQueryApi({ keyValue: createMemoryKeyValue(), clickhouse: database.client, database: database.database, now: () => NOW, logError: () => undefined, rfm: { quintileMinBuyers: min } });
      const res = await getJson(api, '/api/v1/rfm?site=five', KEY);
      expect(res.body).toMatchObject({ scoring, buyers: 5 });
      const byId = Object.fromEntries((res.body.customers as Row[]).map((c) => [c.customer_id, c.f]));
      expect(['c1', 'c2', 'c3', 'c4', 'c5'].map((id) => byId[id])).toEqual(f);
      const profile = await getJson(api, '/api/v1/customers/c2?site=five', KEY);
      expect(profile.body.rfm).toMatchObject({ scoring, f: f[1], population: 5 });
    }
  });

  it('1 000 buyers: quintiles', async () => {
    const { scoring, buyers, byId } = await scored('thousand');
    expect([scoring, buyers, Object.keys(byId).length]).toEqual(['quintiles', 1000, 1000]);
    // q0: 0 d R5, 1 order F1, 10 M1, FM 1 → New. q199: 99 d R5, 7 orders F5, M 1 + ⌊995/1000⌋ = 1, FM 3 → Loyal.
    // q200: 100 d R4, F1, M 1 + ⌊1000/1000⌋ = 2, FM 2 → Potential loyalist. q503: 251 d R3, 2 orders F4, M 3, FM 4 → Loyal.
    // q999: 499 d R1, 7 orders F5, M5, FM 5 → Can't lose. (Fixed thresholds would have given q199 R4 — 99 d — and q503 F2.)
    expect({ q0: byId.q0, q199: byId.q199, q200: byId.q200, q503: byId.q503, q999: byId.q999 }).toEqual({
      q0: [5, 1, 1, 'New'],
      q199: [5, 5, 1, 'Loyal'],
      q200: [4, 1, 2, 'Potential loyalist'],
      q503: [3, 4, 3, 'Loyal'],
      q999: [1, 5, 5, "Can't lose"],
    });
    // Exact quintiles: 200 buyers per R and per M score; F: 600 / 200 / 200.
    const count = (i: 0 | 1 | 2, score: number) => Object.values(byId).filter((s) => s[i] === score).length;
    expect([1, 2, 3, 4, 5].map((s) => count(0, s))).toEqual([200, 200, 200, 200, 200]);
    expect([1, 2, 3, 4, 5].map((s) => count(2, s))).toEqual([200, 200, 200, 200, 200]);
    expect([1, 2, 3, 4, 5].map((s) => count(1, s))).toEqual([600, 0, 0, 200, 200]);
    for (const id of ['q0', 'q199', 'q200', 'q503', 'q999']) await expectProfileAgrees('thousand', id, byId[id]!, scoring, 1000);
    const segments = await getJson(app, '/api/v1/rfm/segments?site=thousand', KEY);
    expect(segments.body).toMatchObject({ scoring: 'quintiles', buyers: 1000, customers: 1000 });
  });
});
