import { beforeAll, describe, expect, it } from 'vitest';
import type { QueryApi } from '../../create-query-api.js';
import { createQueryRunner } from '../../clickhouse/query-runner.js';
import type { BreakdownValues } from './breakdown-values.js';
import { queryFunnel } from './funnels.js';
import { loadFixture, postJson, type FixtureEvent, queryApiWithFixture } from '../../testing/index.js';

// Hand-computed funnel: product page view → add to cart → checkout → purchase, window 1 h,
// entry range 2026-11-01 … 2026-11-07 (whole days, UTC). Expected answers are worked out in the comments.
const KEY = 'sk_funnels';
const ev = (anonymous_id: string, type: string, ts: string, extra: Partial<FixtureEvent> = {}): FixtureEvent => ({ anonymous_id, type, ts, ...extra });
const pv = (a: string, path: string, ts: string, channel = 'direct') => ev(a, 'page_view', ts, { path, channel });

const events: FixtureEvent[] = [
  // a1 (email): all four steps, 5/5/10 min apart, a heartbeat between 1 and 2 (ignored even when strict).
  pv('a1', '/products/x', '2026-11-02 10:00:00', 'email'),
  ev('a1', 'page_ping', '2026-11-02 10:02:00', { path: '/products/x' }),
  ev('a1', 'add_to_cart', '2026-11-02 10:05:00'),
  ev('a1', 'checkout_start', '2026-11-02 10:10:00'),
  ev('a1', 'purchase', '2026-11-02 10:20:00'),
  // a2: add to cart in the same millisecond as the page view (a tie counts as in order) → step 2, 0 s.
  pv('a2', '/products/y', '2026-11-02 11:00:00.000'),
  ev('a2', 'add_to_cart', '2026-11-02 11:00:00.000'),
  // a3: cart exactly 3600 s after entry (inside), checkout 1 ms later (outside) → step 2.
  pv('a3', '/products/z', '2026-11-03 09:00:00.000'),
  ev('a3', 'add_to_cart', '2026-11-03 10:00:00.000'),
  ev('a3', 'checkout_start', '2026-11-03 10:00:00.001'),
  // a4: entered before the range → not counted although its cart is inside.
  pv('a4', '/products/x', '2026-10-31 23:59:00'),
  ev('a4', 'add_to_cart', '2026-11-01 00:01:00'),
  // a5: enters 10 min before the range ends, converts after it (allowed: the range bounds entry only) → step 2, 1200 s.
  pv('a5', '/products/x', '2026-11-07 23:50:00'),
  ev('a5', 'add_to_cart', '2026-11-08 00:10:00'),
  // a6 browses and carts anonymously, logs in; a6b (another device of customer c6) checks out and buys → one person, step 4.
  pv('a6', '/products/x', '2026-11-04 12:00:00', 'social'),
  ev('a6', 'add_to_cart', '2026-11-04 12:10:00'),
  ev('a6b', 'checkout_start', '2026-11-04 12:20:00', { customer_id: 'c6' }),
  ev('a6b', 'purchase', '2026-11-04 12:30:00', { customer_id: 'c6' }),
  // bot: full funnel, excluded by default.
  pv('bot1', '/products/x', '2026-11-02 10:00:00'),
  ev('bot1', 'add_to_cart', '2026-11-02 10:01:00'),
  // a7: wrong path, a8: no page view at all (session without page views) → never enter.
  pv('a7', '/about', '2026-11-05 10:00:00'),
  ev('a7', 'add_to_cart', '2026-11-05 10:01:00'),
  ev('a8', 'add_to_cart', '2026-11-05 10:00:00'),
  // a9 (email): buys before carting (skipped step) then carts → step 2 at 10:10 (600 s); strict: broken after step 1.
  pv('a9', '/products/q', '2026-11-05 10:00:00', 'email'),
  ev('a9', 'purchase', '2026-11-05 10:05:00'),
  ev('a9', 'add_to_cart', '2026-11-05 10:10:00'),
  // a10: another page view between steps → step 2 (120 s); strict: step 1.
  pv('a10', '/products/s', '2026-11-06 10:00:00'),
  pv('a10', '/about', '2026-11-06 10:01:00'),
  ev('a10', 'add_to_cart', '2026-11-06 10:02:00'),
  // a11: two entries; only the later one is within the window of the cart → step 2, 1800 s.
  pv('a11', '/products/a', '2026-11-06 08:00:00'),
  pv('a11', '/products/b', '2026-11-06 12:00:00'),
  ev('a11', 'add_to_cart', '2026-11-06 12:30:00'),
  // a12 (social): looks and leaves → step 1.
  pv('a12', '/products/x', '2026-11-03 15:00:00', 'social'),
];
for (const e of events) if (e.anonymous_id === 'bot1') e.is_bot = true;
// The documented maximum of 10 steps, on 2026-11-09 (outside every other test's entry range): z1 alternates product
// views and carts ten times a minute apart (reaches 10), z2 stops after five (reaches 5).
const TEN_STEPS = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? { type: 'page_view', path: '/ten/*' } : { type: 'add_to_cart' }));
const tenStepEvents = (anonymous_id: string, steps: number) =>
  Array.from({ length: steps }, (_, i) => {
    const ts = `2026-11-09 10:${String(i).padStart(2, '0')}:00`;
    return i % 2 === 0 ? pv(anonymous_id, `/ten/${i}`, ts) : ev(anonymous_id, 'add_to_cart', ts, { channel: 'direct' });
  });
events.push(...tenStepEvents('z1', 10), ...tenStepEvents('z2', 5));

const FUNNEL = {
  site: 'shop-1',
  from: '2026-11-01',
  to: '2026-11-07',
  window_seconds: 3600,
  steps: [{ type: 'page_view', path: '/products/*' }, { type: 'add_to_cart' }, { type: 'checkout_start' }, { type: 'purchase' }],
};

let app: QueryApi;
beforeAll(async () => {
  ({ app } = await queryApiWithFixture({
    apiKeys: [{ key: KEY, siteIds: ['shop-1'] }],
    events,
    identities: [
      { anonymous_id: 'a6', customer_id: 'c6', first_seen: '2026-11-04 12:15:00' },
      { anonymous_id: 'a6b', customer_id: 'c6', first_seen: '2026-11-04 12:18:00' },
    ],
  }, { now: () => new Date('2026-11-10T00:00:00Z') }));
});

const funnel = (body: object) => postJson(app, '/api/v1/funnels', KEY, { ...FUNNEL, ...body });
const counts = (steps: Array<{ count: number }>) => steps.map((s) => s.count);

describe('POST /api/v1/funnels', () => {
  it('visitors, non-strict: counts, conversion, drop-off, medians (ties, window edge, range edge, identify mid-funnel, bots out)', async () => {
    const { status, body } = await funnel({});
    expect(status).toBe(200);
    // entered: a1 a2 a3 a5 c6 a9 a10 a11 a12 = 9; step 2: all but a12 = 8; steps 3 and 4: a1, c6.
    expect(counts(body.steps)).toEqual([9, 8, 2, 2]);
    expect(body.steps[1]).toMatchObject({ conversion_from_start: 8 / 9, conversion_from_previous: 8 / 9, dropped_off: 1 });
    expect(body.steps[2]).toMatchObject({ conversion_from_start: 2 / 9, conversion_from_previous: 2 / 8, dropped_off: 6 });
    expect(body.steps[3]).toMatchObject({ conversion_from_previous: 1, dropped_off: 0 });
    // step 2 seconds from step 1: 0, 120, 300, 600, 600, 1200, 1800, 3600 → median 600.
    expect(body.steps.map((s: { median_seconds_from_previous: number | null }) => s.median_seconds_from_previous)).toEqual([null, 600, 450, 600]);
    expect(body.steps.map((s: { median_seconds_from_start: number | null }) => s.median_seconds_from_start)).toEqual([null, 600, 900, 1500]);
    expect(body).toMatchObject({ from: '2026-11-01T00:00:00.000Z', to: '2026-11-08T00:00:00.000Z', unit: 'visitor', breakdown: [] });
  });

  it('strict order: another event between steps ends the attempt; heartbeats do not', async () => {
    const { body } = await funnel({ order: 'strict' });
    // a9 (purchase between) and a10 (page view between) stop at step 1.
    expect(counts(body.steps)).toEqual([9, 6, 2, 2]);
  });

  it('sessions: the two devices of c6 are two sessions, so only a1 completes', async () => {
    const { body } = await funnel({ unit: 'session' });
    expect(counts(body.steps)).toEqual([9, 8, 1, 1]);
  });

  it('bots are counted only when asked', async () => {
    const { body } = await funnel({ include_bots: true });
    expect(counts(body.steps)).toEqual([10, 9, 2, 2]);
  });

  it('per-step window from entry: checkout within 10 min of entry drops c6 (20 min) but keeps a1 (10 min)', async () => {
    const steps = [...FUNNEL.steps];
    steps[2] = { type: 'checkout_start', window_seconds: 600 } as (typeof steps)[number];
    const { body } = await funnel({ steps });
    expect(counts(body.steps)).toEqual([9, 8, 1, 1]);
  });

  it('breakdown by the entry event\'s channel, largest first, totals unchanged', async () => {
    const { body } = await funnel({ breakdown: 'channel' });
    expect(counts(body.steps)).toEqual([9, 8, 2, 2]);
    expect(body.breakdown.map((b: { value: string; steps: Array<{ count: number }> }) => [b.value, counts(b.steps)])).toEqual([
      ['direct', [5, 5, 0, 0]],
      ['email', [2, 2, 1, 1]],
      ['social', [2, 1, 1, 1]],
    ]);
  });

  it('two steps of one event type: one page view never satisfies both, strict or not', async () => {
    // page_view /products/* then any page_view: a10 views /about after its product (step 2, 60 s); a11's second
    // product view follows its first (step 2, 4 h is outside 1 h, so its 12:00 view re-enters and has no
    // successor); everyone else has a single product page view and stops at 1 although it is also a page view.
    const steps = [{ type: 'page_view', path: '/products/*' }, { type: 'page_view' }];
    for (const order of ['non_strict', 'strict']) {
      const { body } = await funnel({ steps, order });
      expect(counts(body.steps)).toEqual([9, 1]);
      expect(body.steps[1].median_seconds_from_previous).toBe(60);
    }
  });

  it('step filters: category, and a path pattern whose % and _ are literal', async () => {
    const literal = await funnel({ steps: [{ type: 'page_view', path: '/products/%' }, { type: 'add_to_cart' }] });
    expect(counts(literal.body.steps)).toEqual([0, 0]);
    const exact = await funnel({ steps: [{ type: 'page_view', path: '/products/x' }, { type: 'add_to_cart' }] });
    // a1, a5, a6→c6, a12 enter on /products/x; all but a12 cart.
    expect(counts(exact.body.steps)).toEqual([4, 3]);
  });

  it('SQL injection strings are plain values', async () => {
    const { status, body } = await funnel({
      steps: [{ type: 'page_view', path: "'; DROP TABLE events; --" }, { type: 'add_to_cart', category: "x' OR '1'='1" }],
    });
    expect(status).toBe(200);
    expect(counts(body.steps)).toEqual([0, 0]);
    expect(counts((await funnel({})).body.steps)).toEqual([9, 8, 2, 2]);
  });

  it('400 naming the parameter', async () => {
    expect((await funnel({ steps: [{ type: 'page_view' }] })).body.error.parameter).toBe('steps');
    expect((await funnel({ steps: [{ type: 'page_view' }, { type: 'teleport' }] })).body.error.parameter).toBe('steps.1.type');
    expect((await funnel({ steps: [{ type: 'page_view' }, { type: 'purchase', colour: 'red' }] })).body.error.parameter).toBe('steps.1.colour');
    expect((await funnel({ window_seconds: 100 * 86_400 })).body.error.parameter).toBe('window_seconds');
    expect((await funnel({ breakdown: 'ip; DROP TABLE x' })).body.error.parameter).toBe('breakdown');
    expect((await funnel({ unit: 'household' })).status).toBe(400);
  });
});

describe('10 steps, the documented maximum', () => {
  const TEN = { site: 'shop-1', from: '2026-11-09', to: '2026-11-09', window_seconds: 3600, steps: TEN_STEPS };
  it('answers in every order, unit and breakdown, and lists the people of each step', async () => {
    for (const order of ['non_strict', 'strict']) {
      for (const unit of ['visitor', 'session']) {
        const { status, body } = await postJson(app, '/api/v1/funnels', KEY, { ...TEN, order, unit, breakdown: 'channel' });
        expect(status, JSON.stringify(body)).toBe(200);
        expect(counts(body.steps)).toEqual([2, 2, 2, 2, 2, 1, 1, 1, 1, 1]);
        expect(body.steps[9].median_seconds_from_start).toBe(540);
        expect(body.breakdown).toEqual([{ value: 'direct', steps: body.steps }]);
      }
    }
    const five = await postJson(app, '/api/v1/funnels/people', KEY, { ...TEN, step: 5 });
    expect(five.body.people.map((p: { person_id: string }) => p.person_id)).toEqual(['z2']);
    const ten = await postJson(app, '/api/v1/funnels/people', KEY, { ...TEN, step: 10, breakdown: 'channel' });
    expect(ten.body.people).toMatchObject([{ person_id: 'z1', reached_step_at: '2026-11-09T10:09:00.000Z', breakdown: 'direct' }]);
  });
  it('11 steps are a 400 naming steps', async () => {
    const res = await postJson(app, '/api/v1/funnels', KEY, { ...TEN, steps: [...TEN_STEPS, { type: 'purchase' }] });
    expect(res).toMatchObject({ status: 400, body: { error: { parameter: 'steps' } } });
  });
});

describe('POST /api/v1/funnels/people', () => {
  const people = (body: object) => postJson(app, '/api/v1/funnels/people', KEY, { ...FUNNEL, ...body });

  it('reached step 2 but not 3: newest first, anonymous visitors with customer_id null', async () => {
    const { status, body } = await people({ step: 2 });
    expect(status).toBe(200);
    expect(body.total).toBe(6);
    expect(body.people.map((p: { person_id: string }) => p.person_id)).toEqual(['a5', 'a11', 'a10', 'a9', 'a3', 'a2']);
    expect(body.people[0]).toEqual({
      person_id: 'a5',
      customer_id: null,
      anonymous_ids: ['a5'],
      entered_at: '2026-11-07T23:50:00.000Z',
      reached_step_at: '2026-11-08T00:10:00.000Z',
    });
  });

  it('completers include the customer merged from two devices; paging with limit/offset', async () => {
    const { body } = await people({ step: 4 });
    expect(body.total).toBe(2);
    expect(body.people[0]).toMatchObject({ person_id: 'c6', customer_id: 'c6', anonymous_ids: ['a6', 'a6b'], entered_at: '2026-11-04T12:00:00.000Z' });
    expect(body.people[1]).toMatchObject({ person_id: 'a1', customer_id: null });
    const page2 = await people({ step: 2, limit: 2, offset: 2 });
    expect(page2.body.total).toBe(6);
    expect(page2.body.people.map((p: { person_id: string }) => p.person_id)).toEqual(['a10', 'a9']);
  });

  it('session unit lists sessions with their person', async () => {
    const { body } = await people({ step: 2, unit: 'session' });
    // a6's session stops at 2 now (its checkout happened on a6b's session).
    expect(body.people.map((p: { session_id: string }) => p.session_id)).toContain('a6-s1');
    expect(body.people.find((p: { session_id: string }) => p.session_id === 'a6-s1')).toMatchObject({ person_id: 'c6', customer_id: 'c6' });
  });

  it('400 when step exceeds the funnel', async () => {
    expect(await people({ step: 5 })).toMatchObject({ status: 400, body: { error: { parameter: 'step' } } });
    expect((await people({})).body.error.parameter).toBe('step');
  });
});

describe('breakdown values: indexed against a cached list, never wrong when the list is stale', () => {
  const BD_KEY = 'sk_funnel_bd';
  const TWO_STEPS = { ...FUNNEL, breakdown: 'channel', steps: [{ type: 'page_view', path: '/products/*' }, { type: 'add_to_cart' }] };
  const breakdownOf = (body: { breakdown: Array<{ value: string; steps: Array<{ count: number }> }> }) =>
    body.breakdown.map((b) => [b.value, b.steps.map((s) => s.count)]);

  it('a channel first seen after the list was cached is counted, after one refresh', async () => {
    const { app: bdApp, client, database } = await queryApiWithFixture(
      { apiKeys: [{ key: BD_KEY, siteIds: ['shop-1'] }], events: [pv('b1', '/products/x', '2026-11-02 10:00:00'), ev('b1', 'add_to_cart', '2026-11-02 10:01:00')] },
      { now: () => new Date('2026-11-10T00:00:00Z') },
    );
    const first = await postJson(bdApp, '/api/v1/funnels', BD_KEY, TWO_STEPS);
    expect(breakdownOf(first.body)).toEqual([['direct', [1, 1]]]);
    // The cached list is now ['direct']; 'paid_search' and 'referral' arrive later.
    await loadFixture(client, database, {
      events: [pv('b2', '/products/x', '2026-11-03 10:00:00', 'paid_search'), pv('b3', '/products/y', '2026-11-03 11:00:00', 'referral'), ev('b3', 'add_to_cart', '2026-11-03 11:05:00')],
    });
    const second = await postJson(bdApp, '/api/v1/funnels', BD_KEY, TWO_STEPS);
    expect(counts(second.body.steps)).toEqual([3, 2]);
    expect(breakdownOf(second.body)).toEqual([['direct', [1, 1]], ['paid_search', [1, 0]], ['referral', [1, 1]]]);
  });

  it('simultaneous entries with different channels: the smallest value, the same in aggregates and in people', async () => {
    // Two visits (two tabs) of one visitor entering at the same millisecond: a channel breakdown reads each entry's
    // visit attribution and, like an event-level breakdown (device), the smallest value wins.
    const { app: bdApp } = await queryApiWithFixture(
      {
        apiKeys: [{ key: BD_KEY, siteIds: ['shop-1'] }],
        events: [
          { ...pv('t1', '/products/x', '2026-11-02 10:00:00.000', 'social'), device_type: 'tablet' },
          { ...pv('t1', '/products/y', '2026-11-02 10:00:00.000', 'email'), session_id: 't1-s2', device_type: 'mobile' },
          ev('t1', 'add_to_cart', '2026-11-02 10:03:00'),
        ],
      },
      { now: () => new Date('2026-11-10T00:00:00Z') },
    );
    const agg = await postJson(bdApp, '/api/v1/funnels', BD_KEY, TWO_STEPS);
    expect(breakdownOf(agg.body)).toEqual([['email', [1, 1]]]);
    const people = await postJson(bdApp, '/api/v1/funnels/people', BD_KEY, { ...TWO_STEPS, step: 2 });
    expect(people.body.people.map((p: { breakdown: string }) => p.breakdown)).toEqual(['email']);
    const byDevice = await postJson(bdApp, '/api/v1/funnels', BD_KEY, { ...TWO_STEPS, breakdown: 'device' });
    expect(breakdownOf(byDevice.body)).toEqual([['mobile', [1, 1]]]);
    const devicePeople = await postJson(bdApp, '/api/v1/funnels/people', BD_KEY, { ...TWO_STEPS, breakdown: 'device', step: 2 });
    expect(devicePeople.body.people.map((p: { breakdown: string }) => p.breakdown)).toEqual(['mobile']);
  });

  it('per-unit strings (no list, a list missing values twice) give the indexed answer', async () => {
    // An event-level breakdown (device; channel is the visit's and never indexed), with the channels as device values.
    const { client, database } = await queryApiWithFixture({ events: events.map((e) => ({ ...e, device_type: e.channel ?? '' })) }, {});
    const runner = createQueryRunner({ client, database, maxExecutionTimeSeconds: 20 });
    const spec = {
      site: 'shop-1',
      range: { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-08T00:00:00Z') },
      steps: FUNNEL.steps.map((st) => ({ ...st, filters: {} })),
      windowSeconds: 3600,
      order: 'non_strict' as const,
      unit: 'visitor' as const,
      breakdown: 'device' as const,
      includeBots: false,
    };
    const calls: string[] = [];
    const listed = (values: string[], refreshed: string[]): BreakdownValues => ({
      get: async () => (calls.push('get'), values),
      refresh: async () => (calls.push('refresh'), refreshed),
    });
    const indexed = await queryFunnel(runner, spec, 10, listed(['direct', 'email', 'social'], []));
    expect(calls).toEqual(['get']);
    expect(indexed.breakdown.map((b) => b.value)).toEqual(['direct', 'email', 'social']);
    expect(await queryFunnel(runner, spec, 10)).toEqual(indexed);
    calls.length = 0;
    expect(await queryFunnel(runner, spec, 10, listed(['direct'], ['direct', 'email']))).toEqual(indexed);
    expect(calls).toEqual(['get', 'refresh']);
  });
});
