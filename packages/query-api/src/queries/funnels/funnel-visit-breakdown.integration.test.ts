import { beforeAll, describe, expect, it } from 'vitest';
import type { QueryApi } from '../../create-query-api.js';
import { postJson, type FixtureEvent, queryApiWithFixture } from '../../testing/index.js';

// Funnels broken down by the visit's attribution, with the hand-computed answers of the case below. Run twice: on
// visits the processor has settled, and on visits only marked, so the answer never depends on settling.
const ev = (anonymous_id: string, type: string, ts: string, extra: Partial<FixtureEvent> = {}): FixtureEvent => ({ anonymous_id, type, ts, ...extra });

describe.each([
  { settled: true, state: 'settled (the visit columns filled, migration 0430)' },
  { settled: false, state: 'not settled yet (read from sessions)' },
])('breakdown by the attribution of the visit the unit entered in (issue 19), visits $state', ({ settled }) => {
  /*
   * n1 lands on / from the newsletter (Email / newsletter / dec) and enters on an SPA product page whose own channel is
   * Direct: Email, dec. g1 lands on a product page from Google: Organic Search, no campaign. n2 had a newsletter visit
   * at 09:00, then a new Direct visit at 11:00 in which it entered and bought: Direct (the visit of the entry).
   * channel: Direct [1,1,1] · Email [1,1,1] · Organic Search [1,1,0]; campaign: '' [2,2,1] · dec [1,1,1].
   */
  const KEY_V = 'sk_funnel_visit';
  const newsletter = { channel: 'Email', source: 'newsletter', medium: 'email', utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'dec' };
  const at = (a: string, session: string, type: string, ts: string, extra: Partial<FixtureEvent> = {}) =>
    ev(a, type, `2026-11-02 ${ts}`, { session_id: `${a}-${session}`, channel: 'Direct', medium: 'internal', ...extra });
  const STEPS = [{ type: 'page_view', path: '/products/*' }, { type: 'add_to_cart' }, { type: 'purchase' }];
  let app: QueryApi;
  beforeAll(async () => {
    ({ app } = await queryApiWithFixture({
      apiKeys: [{ key: KEY_V, siteIds: ['shop-1'] }],
      events: [
        at('n1', 's1', 'page_view', '10:00:00', { path: '/', ...newsletter }),
        at('n1', 's1', 'page_view', '10:01:00', { path: '/products/x' }),
        at('n1', 's1', 'add_to_cart', '10:02:00', { path: '/products/x' }),
        at('n1', 's1', 'purchase', '10:03:00', { path: '/thanks' }),
        at('g1', 's1', 'page_view', '10:00:00', { path: '/products/y', channel: 'Organic Search', source: 'google', medium: 'search' }),
        at('g1', 's1', 'add_to_cart', '10:05:00', { path: '/products/y' }),
        at('n2', 's1', 'page_view', '09:00:00', { path: '/', ...newsletter }),
        at('n2', 's2', 'page_view', '11:00:00', { path: '/products/x', medium: 'direct' }),
        at('n2', 's2', 'add_to_cart', '11:01:00', { path: '/products/x' }),
        at('n2', 's2', 'purchase', '11:02:00', { path: '/thanks' }),
      ],
    }, {}, { settleVisits: settled }));
  });
  const funnel = async (extra: Record<string, unknown>) => {
    const res = await postJson(app, '/api/v1/funnels', KEY_V, { site: 'shop-1', from: '2026-11-01', to: '2026-11-07', steps: STEPS, ...extra });
    expect(res.status).toBe(200);
    return res.body as { steps: Array<{ count: number }>; breakdown: Array<{ value: string; steps: Array<{ count: number }> }> };
  };
  const rows = (body: Awaited<ReturnType<typeof funnel>>) => body.breakdown.map((b) => [b.value, b.steps.map((s) => s.count)]);

  it('channel, source and campaign are the entry visit\'s, for visitors and sessions', async () => {
    for (const unit of ['visitor', 'session']) {
      expect(rows(await funnel({ unit, breakdown: 'channel' })), unit).toEqual([['Direct', [1, 1, 1]], ['Email', [1, 1, 1]], ['Organic Search', [1, 1, 0]]]);
      expect(rows(await funnel({ unit, breakdown: 'campaign' })), unit).toEqual([['', [2, 2, 1]], ['dec', [1, 1, 1]]]);
    }
    expect(rows(await funnel({ breakdown: 'source' }))).toEqual([['', [1, 1, 1]], ['google', [1, 1, 0]], ['newsletter', [1, 1, 1]]]);
  });

  it('a step\'s channel filter compares the visit\'s channel', async () => {
    const filtered = await funnel({ steps: [STEPS[0], STEPS[1], { type: 'purchase', channel: 'Email' }] });
    expect(filtered.steps.map((s) => s.count)).toEqual([3, 3, 1]);
    const people = await postJson(app, '/api/v1/funnels/people', KEY_V, { site: 'shop-1', from: '2026-11-01', to: '2026-11-07', steps: STEPS, step: 3, breakdown: 'channel' });
    expect(people.body.people.map((p: { person_id: string; breakdown: string }) => [p.person_id, p.breakdown]).sort()).toEqual([['n1', 'Email'], ['n2', 'Direct']]);
  });
});
