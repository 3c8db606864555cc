import { beforeAll, describe, expect, it } from 'vitest';
import { createMemoryKeyValue } from '@spoor/infra';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import type { ClickHouseClient } from '@clickhouse/client';
import { createQueryApi, type QueryApi } from '../../create-query-api.js';
import { CUSTOMER_FIXTURE, CUSTOMER_KEY } from '../../testing/customer-fixture.js';
import { getJson, loadFixture } from '../../testing/index.js';

/**
 * The profile's RFM block and GET /rfm are one definition: the profile is scored in a cached population, and that
 * cache must never answer with a population older than the data (seen: m 6, "Can't lose", population 1 right after
 * new data while /rfm said 5/5/5 "Champions").
 */
/** Quintiles forced (the hand-computed scores below), and the default rule (fixed thresholds for these few buyers). */
let app: QueryApi;
let defaultApp: QueryApi;
let client: ClickHouseClient;
let database: string;
let now = new Date('2026-12-01T00:00:00Z');

beforeAll(async () => {
  const ctx = await freshClickHouseDatabase();
  client = ctx.client;
  database = ctx.database;
  await loadFixture(client, database, CUSTOMER_FIXTURE);
  app = createQueryApi({ keyValue: createMemoryKeyValue(), clickhouse: client, database, now: () => now, logError: () => undefined, rfm: { quintileMinBuyers: 1 } });
  defaultApp = createQueryApi({ keyValue: createMemoryKeyValue(), clickhouse: client, database, now: () => now, logError: () => undefined });
});

type Scores = { customer_id: string; r: number | null; f: number | null; m: number | null; segment: string; recency_days: number | null; frequency: number; monetary: number };

async function rfmList(api: QueryApi, basis: string): Promise<{ scoring: string; buyers: number; customers: Scores[] }> {
  const res = await getJson(api, `/api/v1/rfm?site=shop-1&recency_basis=${basis}&include=all&limit=1000`, CUSTOMER_KEY);
  expect(res.status).toBe(200);
  return res.body;
}

/** Every customer /rfm lists gets the same scores, values and rule in their profile; both bases, both rules. */
async function expectProfilesAgreeWithRfm(): Promise<void> {
  for (const [api, rule] of [[app, 'quintiles'], [defaultApp, 'fixed_thresholds']] as const) {
    for (const basis of ['purchase', 'activity']) {
      const { scoring, buyers: listBuyers, customers: list } = await rfmList(api, basis);
      expect(scoring).toBe(rule);
      const buyers = list.filter((row) => row.r !== null).length;
      expect(listBuyers).toBe(buyers);
      for (const row of list) {
        const p = await getJson(api, `/api/v1/customers/${row.customer_id}?site=shop-1&recency_basis=${basis}`, CUSTOMER_KEY);
        expect(p.status).toBe(200);
        const { r, f, m, segment, recency_days, frequency, monetary, population } = p.body.rfm;
        expect({ customer_id: row.customer_id, r, f, m, segment, recency_days, frequency, monetary, scoring: p.body.rfm.scoring }).toEqual({
          customer_id: row.customer_id, r: row.r, f: row.f, m: row.m, segment: row.segment, recency_days: row.recency_days, frequency: row.frequency, monetary: row.monetary, scoring,
        });
        expect(population).toBe(buyers);
        for (const score of [r, f, m]) if (score !== null) expect(score >= 1 && score <= 5).toBe(true);
      }
    }
  }
}

const purchaseScores = async () =>
  Object.fromEntries(
    await Promise.all(
      ['c1', 'c2', 'c3', 'c5', 'c7'].map(async (id) => {
        const { rfm } = (await getJson(app, `/api/v1/customers/${id}?site=shop-1`, CUSTOMER_KEY)).body;
        return [id, rfm ? [rfm.r, rfm.f, rfm.m, rfm.segment, rfm.population] : null];
      }),
    ),
  );

describe('customer profile RFM = GET /rfm, also right after new data', () => {
  it('agrees before, right after new data lands (cache warm), and after as_of passes a row the cache left out', async () => {
    await expectProfilesAgreeWithRfm();

    // New data while the profiles' population is cached: c7 buys for 1000 on 11-30 12:00 (the biggest spender).
    await loadFixture(client, database, {
      identities: [{ anonymous_id: 'a7', customer_id: 'c7', first_seen: '2026-11-30 11:00:00' }],
      events: [
        { type: 'page_view', ts: '2026-11-30 11:00:00', anonymous_id: 'a7', customer_id: 'c7', session_id: 'a7-s1', channel: 'direct', path: '/' },
        { type: 'purchase', ts: '2026-11-30 12:00:00', anonymous_id: 'a7', customer_id: 'c7', session_id: 'a7-s1', channel: 'direct', order_id: 'o9', revenue: 1000 },
      ],
      orders: [{ order_id: 'o9', ts: '2026-11-30 12:00:00', anonymous_id: 'a7', customer_id: 'c7', revenue: 1000, currency: 'EUR' }],
    });
    // By hand, purchase basis as of 12-01 00:00, 5 buyers (score = 1 + floor(5 × strictly worse / 5)):
    //   days: c7 0, c1 1, c2 6, c3 47, c5 183 → R 5 4 3 2 1;  orders: c1 3, c3 2, others 1 → F c1 5, c3 4, others 1;
    //   revenue: c5 20, c2 50, c1 600, c3 600, c7 1000 → M 1 2 3 3 5;  FM = floor((F + M + 1) / 2).
    expect(await purchaseScores()).toEqual({
      c1: [4, 5, 3, 'Champions', 5],
      c2: [3, 1, 2, 'Potential loyalist', 5],
      c3: [2, 4, 3, 'At risk', 5],
      c5: [1, 1, 1, 'Lost', 5],
      c7: [5, 1, 5, 'Loyal', 5],
    });
    await expectProfilesAgreeWithRfm();

    // Five days later with no new writes: c5's order o8 of 12-05 (999) now counts, and every recency moved.
    now = new Date('2026-12-06T00:00:00Z');
    // c5: 2 orders (1019), last 12-05 → 0 days; c7 5, c1 6, c2 11, c3 52 days → R c5 5, c7 4, c1 3, c2 2, c3 1.
    // F: c1 3, c3 2, c5 2, others 1 → c1 5, c3/c5 3, c2/c7 1. M: 50, 600, 600, 1000, 1019 → c2 1, c1/c3 2, c7 4, c5 5.
    expect(await purchaseScores()).toEqual({
      c1: [3, 5, 2, 'Loyal', 5],
      c2: [2, 1, 1, 'Hibernating', 5],
      c3: [1, 3, 2, 'At risk', 5],
      c5: [5, 3, 5, 'Champions', 5],
      c7: [4, 1, 4, 'Loyal', 5],
    });
    await expectProfilesAgreeWithRfm();
  });
});
