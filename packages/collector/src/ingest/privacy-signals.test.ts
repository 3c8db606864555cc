import { describe, expect, it } from 'vitest';
import { rawEventsIn } from '../test-support/read-topic.js';
import { batch, fromAddress, OTHER, pageView, SECRETS, SHOP, unitCollector } from '../test-support/collector-fixture.js';
import { buildCampaignLinks } from '../email/campaign-links.js';
import { createStaticSiteRegistry } from '../sites/file-site-registry.js';
import { signIdentityToken } from '../email/link-token.js';

const post = (body: unknown, headers: Record<string, string> = {}) =>
  new Request('http://collector.test/v1/events', { method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body: JSON.stringify(body) });
const HOUR = 3_600_000;
const sentAt = 1_763_800_000_000;
const HUMAN_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';
const IGNORING = { ...OTHER, siteId: 'ignoring', writeKey: 'wk_ignoring_0123456789', allowedRedirectHosts: ['shop.example'], honourGpc: false };
const collector = () => unitCollector({ sites: createStaticSiteRegistry([SHOP, IGNORING]), now: () => sentAt + HOUR });
const links = (siteId: string) => buildCampaignLinks({ collectorUrl: 'https://t.example', siteId, campaignId: 'camp', customerId: 'cust-1', secrets: SECRETS, issuedAt: sentAt });
const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;

describe('Global Privacy Control (Sec-GPC: 1) at the collector', () => {
  it('a batch with Sec-GPC: 1 (and DNT: 1) stores nothing, not even dead letters, and answers 202 so the SDK does not retry', async () => {
    const { app, log } = collector();
    const res = await app.request(post(batch([pageView(), pageView(), { type: 'broken' }]), { 'sec-gpc': '1', dnt: '1' }));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 0, rejected: [], discarded: 3, reason: expect.stringMatching(/Sec-GPC/) });
    expect(log.sent).toEqual([]);
    expect(await (await app.request('/metrics')).text()).toMatch(/spoor_collector_privacy_signal_discarded_total\{route="\/v1\/events"\} 1/);
  });

  it('DNT alone does not stop the collector (see docs/tracker.md: DNT is the tracker\'s opt-in setting); Sec-GPC: 0 is no signal', async () => {
    const { app, log } = collector();
    expect(await (await app.request(post(batch([pageView()]), { dnt: '1' }))).json()).toEqual({ accepted: 1, rejected: [] });
    expect(await (await app.request(post(batch([pageView()]), { 'sec-gpc': '0' }))).json()).toEqual({ accepted: 1, rejected: [] });
    expect(rawEventsIn(log.messagesOn('raw'))).toHaveLength(2);
  });

  it('a site set to ignore GPC (honourGpc: false) stores the batch', async () => {
    const { app, log } = collector();
    const res = await app.request(post(batch([pageView()], { writeKey: IGNORING.writeKey }), { 'sec-gpc': '1' }));
    expect(await res.json()).toEqual({ accepted: 1, rejected: [] });
    expect(rawEventsIn(log.messagesOn('raw'))).toHaveLength(1);
  });

  it('still refuses an unknown write key or a foreign origin under GPC (no shortcut around the checks)', async () => {
    const { app } = collector();
    expect((await app.request(post(batch([pageView()], { writeKey: 'wk_unknown_0000000' }), { 'sec-gpc': '1' }))).status).toBe(401);
    expect((await app.request(post(batch([pageView()]), { 'sec-gpc': '1', origin: 'https://evil.example' }))).status).toBe(403);
  });

  it('an email click with Sec-GPC: 1 redirects to the plain target: no click recorded, no identity token', async () => {
    const { app, log } = collector();
    const res = await app.request(pathOf(links('shop').clickUrl('https://shop.example/sale')), { headers: { 'sec-gpc': '1' } });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://shop.example/sale');
    expect(log.sent).toEqual([]);
    const ignoring = await app.request(pathOf(links('ignoring').clickUrl('https://shop.example/sale')), { headers: { 'sec-gpc': '1' } });
    expect(ignoring.headers.get('location')).toMatch(/spoor_it=/);
  });

  it('an open pixel fetched with Sec-GPC: 1 answers the GIF and records nothing', async () => {
    const { app, log } = collector();
    const res = await app.request(pathOf(links('shop').openPixelUrl), { headers: { 'sec-gpc': '1', 'user-agent': HUMAN_UA } }, fromAddress('198.51.100.9'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/gif');
    expect(log.sent).toEqual([]);
  });
});

describe('identity tokens: one browser per token', () => {
  const identify = (anonymousId: string, token: string) => pageView({ type: 'identify', anonymousId, props: { customerId: 'cust-1', traits: { spoor_it: token } } });

  it('the first anonymous id presenting a token is stitched (again on reload); a second and third device are refused', async () => {
    const { app, log } = collector();
    const token = signIdentityToken({ siteId: 'shop', customerId: 'cust-1', expiresAt: sentAt + 2 * HOUR }, SECRETS);
    const answers = [];
    for (const anon of ['phone', 'phone', 'laptop', 'tablet']) answers.push(await (await app.request(post(batch([identify(anon, token)])))).json());
    expect(answers.map((a) => (a as { accepted: number }).accepted)).toEqual([1, 1, 0, 0]);
    expect((answers[2] as { rejected: Array<{ error: string }> }).rejected[0]!.error).toBe('props.traits.spoor_it: identity token was already used by another browser');
    const stored = rawEventsIn(log.messagesOn('raw')).map((m) => JSON.parse(m.raw.eventJson));
    expect(stored.map((e) => [e.anonymousId, e.props.traits])).toEqual([['phone', { verifiedBy: 'email-link' }], ['phone', { verifiedBy: 'email-link' }]]);
    // the refused identify reaches the dead-letter topic without the collector's verdict and without the token
    expect(log.messagesOn('dlq')).toHaveLength(2);
    for (const m of log.messagesOn('dlq')) expect(Buffer.from(m.value).toString('latin1')).not.toMatch(/verifiedBy|email-link/);
  });

  it('two devices presenting one token in the same batch: only the first is stitched', async () => {
    const { app } = collector();
    const token = signIdentityToken({ siteId: 'shop', customerId: 'cust-1', expiresAt: sentAt + 2 * HOUR }, SECRETS);
    const res = await app.request(post(batch([identify('a', token), identify('b', token)])));
    expect(await res.json()).toMatchObject({ accepted: 1, rejected: [{ index: 1 }] });
  });
});
