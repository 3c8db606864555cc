import { createHash } from 'node:crypto';
import { createMemoryKeyValue } from '@spoor/infra';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { createQueryApi, type QueryApi } from '../../create-query-api.js';
import { CUSTOMER_FIXTURE, CUSTOMER_KEY } from '../../testing/customer-fixture.js';
import { bearer, getJson, loadFixture, postJson, type FixtureEvent } from '../../testing/index.js';

let app: QueryApi;
const NOW = new Date('2026-12-01T00:00:00Z');
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

const pv = (ts: string, anonymous_id: string, session_id: string, extra: Partial<FixtureEvent> = {}): FixtureEvent => ({ type: 'page_view', ts, anonymous_id, session_id, ...extra });
const open = (ts: string, customer: string, extra: Partial<FixtureEvent> = {}): FixtureEvent => ({
  type: 'email_open', ts, anonymous_id: `email-${customer}`, session_id: `email-${customer}`, customer_id: customer, campaign_id: `camp-${ts}`, ...extra,
});

/*
 * "Visited ≥ 2 times and opened ≥ 2 emails within 30 days" as of 2026-12-01 00:00 → window starts 2026-11-01 00:00:00.000.
 *   v1: 2 visits, 2 human opens                         → member (exactly N on both)
 *   v2: 2 visits, 1 human + 1 machine-flagged open      → not (machine opens do not count)
 *   v3: a visit at exactly 11-01 00:00:00.000 + 1 more  → member (the window start is inclusive)
 *   v4: a visit at 10-31 23:59:59.999 + 1 more, 3 opens → not (only 1 visit in the window)
 *   v5: 2 anonymous visits before identifying as v5     → member (stitched through identities)
 *   v6: 2 visits and 2 opens, all flagged as bot        → not
 *   c1 (customer fixture): 4 visits, 1 human open (the other is machine) → not; its email events are not visits.
 */
const EXTRA_EVENTS: FixtureEvent[] = [
  pv('2026-11-05 10:00:00', 'av1', 'av1-s1', { customer_id: 'v1' }), pv('2026-11-20 10:00:00', 'av1', 'av1-s2', { customer_id: 'v1' }),
  open('2026-11-10 08:00:00', 'v1'), open('2026-11-15 08:00:00', 'v1'),
  pv('2026-11-05 10:00:00', 'av2', 'av2-s1', { customer_id: 'v2' }), pv('2026-11-21 10:00:00', 'av2', 'av2-s2', { customer_id: 'v2' }),
  open('2026-11-10 08:00:00', 'v2'), open('2026-11-16 08:00:00', 'v2', { machine_open: true }),
  pv('2026-11-01 00:00:00.000', 'av3', 'av3-s1', { customer_id: 'v3' }), pv('2026-11-22 10:00:00', 'av3', 'av3-s2', { customer_id: 'v3' }),
  open('2026-11-10 08:00:00', 'v3'), open('2026-11-17 08:00:00', 'v3'),
  pv('2026-10-31 23:59:59.999', 'av4', 'av4-s1', { customer_id: 'v4' }), pv('2026-11-23 10:00:00', 'av4', 'av4-s2', { customer_id: 'v4' }),
  open('2026-11-10 08:00:00', 'v4'), open('2026-11-17 08:00:00', 'v4'), open('2026-11-18 08:00:00', 'v4'),
  pv('2026-11-03 10:00:00', 'av5', 'av5-s1'), pv('2026-11-04 10:00:00', 'av5', 'av5-s2'),
  open('2026-11-10 08:00:00', 'v5'), open('2026-11-24 08:00:00', 'v5'),
  pv('2026-11-05 10:00:00', 'av6', 'av6-s1', { customer_id: 'v6', is_bot: true }), pv('2026-11-06 10:00:00', 'av6', 'av6-s2', { customer_id: 'v6', is_bot: true }),
  open('2026-11-10 08:00:00', 'v6', { is_bot: true }), open('2026-11-11 08:00:00', 'v6', { is_bot: true }),
  // Abandoned carts: ac1 added exactly 24 h before now (and never bought); ac2 bought after adding.
  { type: 'add_to_cart', ts: '2026-11-30 00:00:00.000', anonymous_id: 'ac1', session_id: 'ac1-s1', product_id: 'p9', price: 5, quantity: 1 },
  { type: 'add_to_cart', ts: '2026-11-27 10:00:00', anonymous_id: 'ac2', session_id: 'ac2-s1', product_id: 'p9', price: 5, quantity: 1 },
  { type: 'purchase', ts: '2026-11-28 10:00:00', anonymous_id: 'ac2', session_id: 'ac2-s2', order_id: 'o-ac2', revenue: 5 },
];

beforeAll(async () => {
  const ctx = await freshClickHouseDatabase();
  await loadFixture(ctx.client, ctx.database, {
    ...CUSTOMER_FIXTURE,
    events: [...(CUSTOMER_FIXTURE.events ?? []), ...EXTRA_EVENTS],
    identities: [
      ...(CUSTOMER_FIXTURE.identities ?? []),
      ...['v1', 'v2', 'v3', 'v4', 'v6'].map((v) => ({ anonymous_id: `a${v}`, customer_id: v, first_seen: '2026-11-01 00:00:00' })),
      { anonymous_id: 'av5', customer_id: 'v5', first_seen: '2026-11-04 10:05:00' },
    ],
    apiKeys: [...(CUSTOMER_FIXTURE.apiKeys ?? []), { key: 'sk_other_site', siteIds: ['shop-2'], keyId: 'key-other' }],
  });
  app = createQueryApi({ keyValue: createMemoryKeyValue(), clickhouse: ctx.client, database: ctx.database, now: () => NOW, logError: () => undefined });
});

const preview = (definition: unknown, extra: Record<string, unknown> = {}) => postJson(app, '/api/v1/audiences/preview', CUSTOMER_KEY, { site: 'shop-1', definition, ...extra });
const members = async (definition: unknown) => {
  const res = await preview(definition, { sample_size: 100 });
  expect(res.status).toBe(200);
  return res.body.sample.map((m: { person_id: string }) => m.person_id).sort();
};
const cond = (event: string, op: string, count: number, within_days: number, where?: unknown[]) => ({ event, op, count, within_days, ...(where ? { where } : {}) });

describe('POST /api/v1/audiences/preview — rules', () => {
  it('visited ≥ 2 and opened ≥ 2 emails in 30 days: exactly-N, window edge, machine opens, bots, stitched anonymous visits', async () => {
    const res = await preview({ all: [cond('visit', '>=', 2, 30), cond('email_open', '>=', 2, 30)] }, { sample_size: 2 });
    expect(res.status).toBe(200);
    expect(res.body.size).toBe(3);
    // Sample: most recently seen first — v5 (open 11-24), v3 (visit 11-22).
    expect(res.body.sample).toEqual([
      { person_id: 'v5', customer_id: 'v5', last_seen: '2026-11-24T08:00:00.000Z' },
      { person_id: 'v3', customer_id: 'v3', last_seen: '2026-11-22T10:00:00.000Z' },
    ]);
    expect(await members({ all: [cond('visit', '>=', 2, 30), cond('email_open', '>=', 2, 30)] })).toEqual(['v1', 'v3', 'v5']);
    // > 2 excludes everyone at exactly 2 opens; v4 has 3 opens but one visit.
    expect(await members({ all: [cond('visit', '>=', 2, 30), cond('email_open', '>', 2, 30)] })).toEqual([]);
  });

  it('any / nested groups and count = 0 (judged among people active in the window)', async () => {
    // Active in 30 days, no page view, a human open: c6 only (c4's only recent open is machine-flagged, v5's page views are stitched).
    expect(await members({ all: [cond('page_view', '=', 0, 30), cond('email_open', '>=', 1, 30)] })).toEqual(['c6']);
    const nested = { any: [cond('email_open', '>=', 3, 30), { all: [cond('add_to_cart', '>=', 1, 7), { any: [cond('purchase', '>=', 1, 7), cond('visit', '>=', 5, 7)] }] }] };
    // v4: 3 opens. c1: added 11-29 and purchased 11-29. ac1 added but no purchase, 1 visit. ac2: added 11-27, purchased 11-28.
    expect(await members(nested)).toEqual(['ac2', 'c1', 'v4']);
  });

  it('property filters: text in/eq/contains, numbers, and hostile values are just data', async () => {
    expect(await members({ all: [cond('page_view', '>=', 2, 30, [{ property: 'channel', op: 'in', value: ['referral', 'paid_search'] }])] })).toEqual(['c1']);
    expect(await members({ all: [cond('page_view', '>=', 1, 30, [{ property: 'path', op: 'contains', value: '/P/' }])] })).toEqual(['c1']);
    expect(await members({ all: [cond('add_to_cart', '>=', 1, 30, [{ property: 'price', op: 'gte', value: 15 }])] })).toEqual(['c1']);
    expect(await members({ all: [cond('add_to_cart', '>=', 1, 30, [{ property: 'price', op: 'gt', value: 50 }])] })).toEqual([]);
    expect(await members({ all: [cond('page_view', '>=', 1, 30, [{ property: 'channel', op: 'eq', value: "direct' OR 1=1 --" }])] })).toEqual([]);
  });

  it('400 naming the field: unknown event, property or op, wrong value type, too deep, too many conditions', async () => {
    const bad = async (definition: unknown) => {
      const res = await preview(definition);
      expect(res.status).toBe(400);
      return res.body.error.parameter as string;
    };
    expect(await bad({ all: [cond('teleport', '>=', 1, 30)] })).toBe('definition.all.0.event');
    expect(await bad({ all: [cond('visit', '>=', 1, 30, [{ property: 'password', op: 'eq', value: 'x' }])] })).toBe('definition.all.0.where.0.property');
    expect(await bad({ all: [cond('visit', '>=', 1, 30, [{ property: 'channel', op: 'gt', value: 3 }])] })).toBe('definition.all.0.where.0.op');
    expect(await bad({ any: [{ all: [cond('visit', '≈', 1, 30)] }] })).toBe('definition.any.0.all.0.op');
    expect(await bad({ all: [cond('visit', '>=', 1, 9999)] })).toBe('definition.all.0.within_days');
    let deep: unknown = cond('visit', '>=', 1, 30);
    for (let i = 0; i < 5; i += 1) deep = { all: [deep] };
    expect(await bad(deep)).toMatch(/^definition/);
    let fourDeep: unknown = cond('visit', '>=', 1, 30);
    for (let i = 0; i < 4; i += 1) fourDeep = { all: [fourDeep] };
    expect((await preview(fourDeep)).status).toBe(200);
    expect(await bad({ any: [{ all: Array.from({ length: 11 }, () => cond('visit', '>=', 1, 30)) }, { all: Array.from({ length: 10 }, () => cond('visit', '>=', 1, 30)) }] })).toMatch(/^definition/);
    expect(await bad({ all: [] })).toMatch(/^definition/);
    expect(await bad({ template: 'abandoned_cart', hours: 0 })).toMatch(/^definition/);
  });
});

describe('built-in templates', () => {
  it('abandoned cart: added at least X hours ago (exactly X counts), nothing bought since', async () => {
    expect(await members({ template: 'abandoned_cart', hours: 24 })).toEqual(['ac1', 'c1']);
    expect(await members({ template: 'abandoned_cart', hours: 25 })).toEqual(['c1']);
    expect(await members({ template: 'abandoned_cart', hours: 48 })).toEqual([]);
  });

  it('replenishment due: c1 bought p1 on 11-01 09:10, 11-20 09:30, 11-29 10:00 → median gap 14 d 0 h 25 min → due 12-13 10:25', async () => {
    expect(await members({ template: 'replenishment_due', within_days: 13 })).toEqual(['c1']); // window ends 12-14 00:00
    expect(await members({ template: 'replenishment_due', within_days: 12 })).toEqual([]); // ends 12-13 00:00, before the due time
    expect(await members({ template: 'replenishment_due', within_days: 14, product_id: 'p2' })).toEqual([]);
    expect(await members({ template: 'replenishment_due', within_days: 14, min_purchases: 4 })).toEqual([]);
  });

  it('lapsed VIPs: top revenue (ties at the edge included), no purchase for N days', async () => {
    // Buyers: c1 600 (last 11-29), c3 600 (last 10-15), c2 50, c5 20 (its 12-05 order is in the future).
    expect(await members({ template: 'lapsed_vip', top_percent: 25, lapsed_days: 30 })).toEqual(['c3']);
    expect(await members({ template: 'lapsed_vip', top_percent: 50, lapsed_days: 1 })).toEqual(['c1', 'c3']);
    expect(await members({ template: 'lapsed_vip', top_percent: 50, lapsed_days: 60 })).toEqual([]);
  });
});

describe('saved audiences and exports', () => {
  it('save, list, get, export json/csv/sha256, delete', async () => {
    const definition = { all: [cond('identify', '>=', 1, 90)] };
    const saved = await postJson(app, '/api/v1/audiences', CUSTOMER_KEY, { site: 'shop-1', name: 'Identified lately', definition });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ name: 'Identified lately', definition, created_by: 'key:key-support', created_at: NOW.toISOString() });
    const id = saved.body.id as string;

    expect((await getJson(app, '/api/v1/audiences?site=shop-1', CUSTOMER_KEY)).body.audiences.map((a: { id: string }) => a.id)).toEqual([id]);
    expect((await getJson(app, `/api/v1/audiences/${id}?site=shop-1`, CUSTOMER_KEY)).body).toMatchObject({ id, definition });
    // Another site's key sees nothing of it.
    expect((await getJson(app, `/api/v1/audiences/${id}?site=shop-2`, 'sk_other_site')).status).toBe(404);

    const json = await getJson(app, `/api/v1/audiences/${id}/members?site=shop-1&format=json`, CUSTOMER_KEY);
    expect(json.body.total).toBe(4);
    expect(json.body.members).toEqual([
      { person_id: 'c1', customer_id: 'c1', email: 'C1@Example.com', email_sha256: '', phone: '' },
      { person_id: 'c2', customer_id: 'c2', email: ' John.Doe+shop@GoogleMail.com ', email_sha256: '', phone: '+49 (170) 123-4567' },
      { person_id: 'c3', customer_id: 'c3', email: 'Alice@Example.COM ', email_sha256: '', phone: '0049 30 1234567' },
      { person_id: 'c4', customer_id: 'c4', email: 'b.o.b@gmail.com', email_sha256: '', phone: '' },
    ]);
    const page = await getJson(app, `/api/v1/audiences/${id}/members?site=shop-1&limit=2&offset=2`, CUSTOMER_KEY);
    expect(page.body.members.map((m: { person_id: string }) => m.person_id)).toEqual(['c3', 'c4']);

    const csv = await app.request(`/api/v1/audiences/${id}/members?site=shop-1&format=csv`, { headers: bearer(CUSTOMER_KEY) });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(await csv.text()).toBe(
      'person_id,customer_id,email,phone\r\nc1,c1,C1@Example.com,\r\nc2,c2, John.Doe+shop@GoogleMail.com ,"\'+49 (170) 123-4567"\r\nc3,c3,Alice@Example.COM ,0049 30 1234567\r\nc4,c4,b.o.b@gmail.com,\r\n',
    );

    const hashed = await app.request(`/api/v1/audiences/${id}/members?site=shop-1&format=sha256`, { headers: bearer(CUSTOMER_KEY) });
    expect(hashed.headers.get('x-total-count')).toBe('4');
    expect((await hashed.text()).split('\r\n')).toEqual([
      'Email,Phone',
      `${sha('c1@example.com')},`,
      `${sha('johndoe@googlemail.com')},${sha('+491701234567')}`,
      `${sha('alice@example.com')},${sha('+49301234567')}`,
      `${sha('bob@gmail.com')},`,
      '',
    ]);

    expect((await app.request(`/api/v1/audiences/${id}?site=shop-1`, { method: 'DELETE', headers: bearer(CUSTOMER_KEY) })).status).toBe(200);
    expect((await getJson(app, `/api/v1/audiences/${id}?site=shop-1`, CUSTOMER_KEY)).status).toBe(404);
    expect((await getJson(app, `/api/v1/audiences/${id}/members?site=shop-1`, CUSTOMER_KEY)).status).toBe(404);
    expect((await getJson(app, '/api/v1/audiences?site=shop-1', CUSTOMER_KEY)).body.audiences).toEqual([]);
    expect((await app.request(`/api/v1/audiences/${id}?site=shop-1`, { method: 'DELETE', headers: bearer(CUSTOMER_KEY) })).status).toBe(404);
  });

  it('400 for a nameless audience or a bad export format', async () => {
    expect((await postJson(app, '/api/v1/audiences', CUSTOMER_KEY, { site: 'shop-1', name: '  ', definition: { all: [cond('visit', '>=', 1, 1)] } })).body.error.parameter).toBe('name');
    const saved = await postJson(app, '/api/v1/audiences', CUSTOMER_KEY, { site: 'shop-1', name: 'x', definition: { template: 'lapsed_vip' } });
    expect(saved.body.definition).toEqual({ template: 'lapsed_vip', top_percent: 20, lapsed_days: 90 });
    expect((await getJson(app, `/api/v1/audiences/${saved.body.id}/members?site=shop-1&format=xml`, CUSTOMER_KEY)).body.error.parameter).toBe('format');
  });
});
