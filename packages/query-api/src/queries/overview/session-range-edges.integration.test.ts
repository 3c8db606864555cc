import { beforeAll, describe, expect, it } from 'vitest';
import type { QueryApi } from '../../create-query-api.js';
import { getJson, type FixtureEvent, queryApiWithFixture } from '../../testing/index.js';

// Overview and exits count a session as seen inside the range: only its events in [from, to). The stored
// `sessions` aggregates cover whole sessions, so sessions cut by the range edges, and bot-flagged sessions with
// human events, must come out as if computed from their events in range. Range: 2026-11-01 (one whole day, UTC).
const KEY = 'sk_edges';
const ev = (a: string, type: string, ts: string, path: string, extra: Partial<FixtureEvent> = {}): FixtureEvent => ({
  anonymous_id: a, session_id: `${a}-s`, type, ts, path, channel: 'direct', country: 'DE', device_type: 'mobile', ...extra,
});

const events: FixtureEvent[] = [
  // sX starts before the range: in range only /a then /b (social, AT), 300 s; the whole session says /early, email, FR.
  ev('aX', 'page_view', '2026-10-31 23:50:00', '/early', { channel: 'email', country: 'FR' }),
  ev('aX', 'page_view', '2026-11-01 00:05:00', '/a', { channel: 'social', country: 'AT' }),
  ev('aX', 'page_view', '2026-11-01 00:10:00', '/b', { channel: 'social', country: 'AT' }),
  // sY ends after the range: in range one page view /c (a bounce, 0 s).
  ev('aY', 'page_view', '2026-11-01 23:55:00', '/c'),
  ev('aY', 'page_view', '2026-11-02 00:10:00', '/d'),
  // sZ: a bot page view, then a human one and a cart (paid_search): without bots one page view /human, 120 s, carted.
  ev('aZ', 'page_view', '2026-11-01 10:00:00', '/bot', { is_bot: true, channel: 'referral' }),
  ev('aZ', 'page_view', '2026-11-01 10:01:00', '/human', { channel: 'paid_search' }),
  ev('aZ', 'add_to_cart', '2026-11-01 10:03:00', '/human', { channel: 'paid_search' }),
  // sW: wholly inside, / then /a, 120 s. sB: a bot only.
  ev('aW', 'page_view', '2026-11-01 12:00:00', '/'),
  ev('aW', 'page_view', '2026-11-01 12:02:00', '/a'),
  ev('aB', 'page_view', '2026-11-01 13:00:00', '/', { is_bot: true }),
];

let app: QueryApi;
beforeAll(async () => {
  ({ app } = await queryApiWithFixture({ apiKeys: [{ key: KEY, siteIds: ['shop-1'] }], events }));
});

const get = (path: string, extra = '') => getJson(app, `/api/v1/${path}?site=shop-1&from=2026-11-01&to=2026-11-01${extra}`, KEY);

describe('sessions cut by the range, and bot-flagged sessions with human events', () => {
  it('overview: only the events inside the range count', async () => {
    const { status, body } = await get('overview');
    expect(status).toBe(200);
    // durations 300, 0, 120, 120 → median 120; bounces sY, sZ of 4.
    expect(body.totals).toEqual({ visitors: 4, sessions: 4, page_views: 6, events: 7, bounce_rate: 0.5, median_session_seconds: 120 });
    expect(body.events_by_type).toEqual([{ type: 'page_view', count: 6 }, { type: 'add_to_cart', count: 1 }]);
    expect(body.entry_pages).toEqual([
      { path: '/', sessions: 1 },
      { path: '/a', sessions: 1 },
      { path: '/c', sessions: 1 },
      { path: '/human', sessions: 1 },
    ]);
    expect(body.top_pages).toEqual([
      { path: '/a', page_views: 2, sessions: 2 },
      { path: '/', page_views: 1, sessions: 1 },
      { path: '/b', page_views: 1, sessions: 1 },
      { path: '/c', page_views: 1, sessions: 1 },
      { path: '/human', page_views: 1, sessions: 1 },
    ]);
    expect(body.channels).toEqual([
      { channel: 'direct', sessions: 2, visitors: 2 },
      { channel: 'paid_search', sessions: 1, visitors: 1 },
      { channel: 'social', sessions: 1, visitors: 1 },
    ]);
    expect(body.countries).toEqual([
      { country: 'DE', sessions: 3, visitors: 3 },
      { country: 'AT', sessions: 1, visitors: 1 },
    ]);
    const social = await get('overview', '&channel=social');
    expect(social.body.totals).toEqual({ visitors: 1, sessions: 1, page_views: 2, events: 2, bounce_rate: 0, median_session_seconds: 300 });
    expect((await get('overview', '&channel=email')).body.totals.sessions).toBe(0);
    // With bots: sZ starts at its bot page view (referral, 180 s, no bounce) and sB counts (a bounce): 2 of 5.
    const bots = await get('overview', '&include_bots=true');
    expect(bots.body.totals).toEqual({ visitors: 5, sessions: 5, page_views: 8, events: 9, bounce_rate: 0.4, median_session_seconds: 120 });
    expect(bots.body.channels).toEqual([
      { channel: 'direct', sessions: 3, visitors: 3 },
      { channel: 'referral', sessions: 1, visitors: 1 },
      { channel: 'social', sessions: 1, visitors: 1 },
    ]);
  });

  it('exits: entry and exit pages of the part inside the range', async () => {
    const { body } = await get('exits');
    expect(body.sessions).toBe(4);
    expect(body.exit_pages).toEqual([
      { path: '/a', exits: 1, page_views: 2, exit_rate: 0.5 },
      { path: '/b', exits: 1, page_views: 1, exit_rate: 1 },
      { path: '/c', exits: 1, page_views: 1, exit_rate: 1 },
      { path: '/human', exits: 1, page_views: 1, exit_rate: 1 },
    ]);
    expect(body.entry_pages).toEqual([
      { path: '/', entries: 1, page_views: 1, bounces: 0, bounce_rate: 0 },
      { path: '/a', entries: 1, page_views: 2, bounces: 0, bounce_rate: 0 },
      { path: '/c', entries: 1, page_views: 1, bounces: 1, bounce_rate: 1 },
      { path: '/human', entries: 1, page_views: 1, bounces: 1, bounce_rate: 1 },
    ]);
    const carts = await get('exits', '&cart_without_purchase=true');
    expect(carts.body).toMatchObject({ sessions: 1, exit_pages: [{ path: '/human', exits: 1, page_views: 1, exit_rate: 1 }], entry_pages: [
      { path: '/human', entries: 1, page_views: 1, bounces: 1, bounce_rate: 1 },
    ] });
    const byChannel = await get('exits', '&by=channel');
    expect(byChannel.body.exit_pages).toEqual([
      { channel: 'direct', path: '/a', exits: 1, page_views: 1, exit_rate: 1 },
      { channel: 'direct', path: '/c', exits: 1, page_views: 1, exit_rate: 1 },
      { channel: 'paid_search', path: '/human', exits: 1, page_views: 1, exit_rate: 1 },
      { channel: 'social', path: '/b', exits: 1, page_views: 1, exit_rate: 1 },
    ]);
    expect((await get('exits', '&channel=social')).body.exit_pages).toEqual([{ path: '/b', exits: 1, page_views: 1, exit_rate: 1 }]);
    // With bots: sZ enters on /bot (2 page views, no bounce) and sB bounces on /.
    const bots = await get('exits', '&include_bots=true');
    expect(bots.body.sessions).toBe(5);
    expect(bots.body.entry_pages).toEqual([
      { path: '/', entries: 2, page_views: 2, bounces: 1, bounce_rate: 0.5 },
      { path: '/a', entries: 1, page_views: 2, bounces: 0, bounce_rate: 0 },
      { path: '/bot', entries: 1, page_views: 1, bounces: 0, bounce_rate: 0 },
      { path: '/c', entries: 1, page_views: 1, bounces: 1, bounce_rate: 1 },
    ]);
  });
});
