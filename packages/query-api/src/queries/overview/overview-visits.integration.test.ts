import { beforeAll, describe, expect, it } from 'vitest';
import type { QueryApi } from '../../create-query-api.js';
import { getJson, type FixtureEvent, queryApiWithFixture } from '../../testing/index.js';

// The overview counts visits: email opens and clicks arrive with a pseudo-browser `email:<customer>` and a pseudo-session
// `email:<campaign>` (collector/src/email/email-event.ts), which are neither visitors nor sessions. Seen: 1231 sessions
// where the visits were 1225.
const KEY = 'sk_overview_visits';
const email = (type: 'email_open' | 'email_click', ts: string, customer: string, campaign: string): FixtureEvent => ({
  type, ts, anonymous_id: `email:${customer}`, session_id: `email:${campaign}`, customer_id: customer, campaign_id: campaign, channel: 'email', path: '',
});
const events: FixtureEvent[] = [
  // Visit 1: a1 (customer c1), two page views 300 s apart.
  { type: 'page_view', ts: '2026-11-01 10:00:00', anonymous_id: 'a1', session_id: 'a1-s', customer_id: 'c1', channel: 'direct', path: '/' },
  { type: 'page_view', ts: '2026-11-01 10:05:00', anonymous_id: 'a1', session_id: 'a1-s', customer_id: 'c1', channel: 'direct', path: '/p/1' },
  // Visit 2: anonymous a2, one page view (a bounce).
  { type: 'page_view', ts: '2026-11-01 11:00:00', anonymous_id: 'a2', session_id: 'a2-s', channel: 'organic_search', path: '/p/2' },
  // Email: four recipients open two campaigns (one of them c1, who also visited), one clicks.
  email('email_open', '2026-11-01 08:00:00', 'c1', 'nov'),
  email('email_open', '2026-11-01 08:01:00', 'c2', 'nov'),
  email('email_open', '2026-11-01 08:02:00', 'c3', 'nov'),
  email('email_click', '2026-11-01 08:03:00', 'c3', 'nov'),
  email('email_open', '2026-11-01 09:00:00', 'c4', 'dec'),
];

let app: QueryApi;
beforeAll(async () => {
  ({ app } = await queryApiWithFixture({
    apiKeys: [{ key: KEY, siteIds: ['shop-1'] }],
    events,
    identities: [{ anonymous_id: 'a1', customer_id: 'c1', first_seen: '2026-11-01 10:00:00' }],
  }));
});

const overview = (extra = '') => getJson(app, `/api/v1/overview?site=shop-1&from=2026-11-01&to=2026-11-01${extra}`, KEY);

describe('GET /api/v1/overview: sessions and visitors are visits', () => {
  it('email pseudo-sessions are neither sessions nor visitors; their events still count as events', async () => {
    const { status, body } = await overview();
    expect(status).toBe(200);
    // 2 visits (a1-s, a2-s) by 2 visitors (c1, a2); bounce: a2-s of the 2; median of 300 s and 0 s; 8 events in all.
    expect(body.totals).toEqual({ visitors: 2, sessions: 2, page_views: 3, events: 8, bounce_rate: 0.5, median_session_seconds: 150 });
    expect(body.events_by_type).toEqual([
      { type: 'email_open', count: 4 },
      { type: 'page_view', count: 3 },
      { type: 'email_click', count: 1 },
    ]);
    expect(body.channels).toEqual([
      { channel: 'direct', sessions: 1, visitors: 1 },
      { channel: 'organic_search', sessions: 1, visitors: 1 },
    ]);
    expect(body.entry_pages).toEqual([
      { path: '/', sessions: 1 },
      { path: '/p/2', sessions: 1 },
    ]);
  });

  it('a session filter selects visits only: channel=email has no visit', async () => {
    const { body } = await overview('&channel=email');
    expect(body.totals).toEqual({ visitors: 0, sessions: 0, page_views: 0, events: 0, bounce_rate: null, median_session_seconds: null });
  });
});
