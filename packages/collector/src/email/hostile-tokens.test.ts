import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rawEventsIn } from '../test-support/read-topic.js';
import { OTHER, SECRETS, SHOP, unitCollector } from '../test-support/collector-fixture.js';
import { createStaticSiteRegistry } from '../sites/file-site-registry.js';
import type { Site } from '../sites/site-registry.js';
import { buildCampaignLinks } from './campaign-links.js';

const HOUR = 3_600_000;
const sentAt = 1_763_800_000_000;
const HUMAN_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';
const SHOP_KEYED: Site = { ...SHOP, linkKeys: [{ keyId: 'shop-2', secret: 'shop-own-key-two-0123456789-abcdefghijk' }, { keyId: 'shop-1', secret: 'shop-own-key-one-0123456789-abcdefghijk' }] };
const OTHER_KEYED: Site = { ...OTHER, allowedRedirectHosts: ['shop.example'], linkKeys: [{ keyId: 'shop-2', secret: 'other-site-key-0123456789-abcdefghijklm' }] };
const collector = (now = sentAt + HOUR) => unitCollector({ sites: createStaticSiteRegistry([SHOP_KEYED, OTHER_KEYED]), now: () => now });

const links = (site: Site, overrides: Partial<Parameters<typeof buildCampaignLinks>[0]> = {}) =>
  buildCampaignLinks({ collectorUrl: 'https://t.example', siteId: site.siteId, campaignId: 'camp', customerId: 'cust-1', keys: { site: site.linkKeys ?? [], fallback: SECRETS }, issuedAt: sentAt, ...overrides });
const tokenOf = (url: string) => new URL(url).searchParams.get('t')!;

/** Hostile variations of a genuine token: what an attacker or a mangling mail client can make of it. */
function hostileTokens(genuine: string) {
  const [body, sig] = genuine.split('.') as [string, string];
  return fc.oneof(
    // one character changed, inserted or removed anywhere
    fc.tuple(fc.nat({ max: genuine.length }), fc.string({ minLength: 0, maxLength: 2, unit: 'binary' }), fc.integer({ min: 0, max: 2 })).map(([at, s, cut]) => genuine.slice(0, at) + s + genuine.slice(at + cut)),
    // padding, separators and characters Node's lenient decoder would skip
    fc.constantFrom('=', '==', '!!', '*', '.', ' ', '%3D', '\u0000').chain((junk) => fc.nat({ max: genuine.length }).map((at) => genuine.slice(0, at) + junk + genuine.slice(at))),
    // a signature of arbitrary bytes (the right length or not)
    fc.uint8Array({ minLength: 0, maxLength: 64 }).map((bytes) => `${body}.${Buffer.from(bytes).toString('base64url')}`),
    // a payload rewritten by someone without the key: other customer, other site, no expiry, far future, unknown key id
    fc.record({ u: fc.string({ maxLength: 20 }), s: fc.constantFrom('shop', 'other', 'ghost', ''), exp: fc.oneof(fc.constant(undefined), fc.integer(), fc.double()), kid: fc.oneof(fc.constant(undefined), fc.constantFrom('shop-1', 'nope', ''), fc.string()) }).map((changes) => {
      const payload = { ...JSON.parse(Buffer.from(body, 'base64url').toString()), ...changes };
      return `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${sig}`;
    }),
    // huge, or nothing like a token at all
    fc.integer({ min: 8000, max: 20_000 }).map((n) => `${body}${'A'.repeat(n)}.${sig}`),
    fc.string({ maxLength: 200, unit: 'grapheme' }),
  ).filter((t) => t !== genuine);
}

describe('hostile email-link tokens (generated) through the collector', () => {
  it('a click with any mutated, padded, re-keyed, huge or foreign token answers 400 and records nothing, never 5xx', async () => {
    const genuine = tokenOf(links(SHOP_KEYED).clickUrl('https://shop.example/sale'));
    const { app, log } = collector();
    expect((await app.request(`/v1/c?t=${encodeURIComponent(genuine)}`)).status).toBe(302);
    const before = log.messagesOn('raw').length;
    await fc.assert(
      fc.asyncProperty(hostileTokens(genuine), async (t) => {
        const res = await app.request(`/v1/c?t=${encodeURIComponent(t)}`);
        expect(res.status).toBe(400);
        expect(res.headers.get('location')).toBeNull();
      }),
      { numRuns: 300 },
    );
    expect(log.messagesOn('raw')).toHaveLength(before);
  });

  it('an open pixel with any hostile token answers the GIF and records nothing', async () => {
    const genuine = tokenOf(links(SHOP_KEYED).openPixelUrl);
    const { app, log } = collector();
    await fc.assert(
      fc.asyncProperty(hostileTokens(genuine), async (t) => {
        const res = await app.request(`/v1/o.gif?t=${encodeURIComponent(t)}`, { headers: { 'user-agent': HUMAN_UA } });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('image/gif');
      }),
      { numRuns: 300 },
    );
    expect(log.messagesOn('raw')).toHaveLength(0);
  });

  it.each([
    ['expired click (past its 90 days)', () => links(SHOP_KEYED).clickUrl('https://shop.example/'), sentAt + 91 * 24 * HOUR],
    ['click issued in 2001', () => links(SHOP_KEYED, { issuedAt: Date.UTC(2001, 0, 1) }).clickUrl('https://shop.example/'), sentAt + HOUR],
    ['click signed with another site\'s key (same key id)', () => links(OTHER_KEYED, { siteId: 'shop' }).clickUrl('https://shop.example/'), sentAt + HOUR],
    ['click signed by a key the site does not have', () => links({ ...SHOP, linkKeys: [{ keyId: 'shop-9', secret: SHOP_KEYED.linkKeys![0]!.secret }] }).clickUrl('https://shop.example/'), sentAt + HOUR],
  ])('refuses a %s with 400, recording nothing and minting no identity token', async (_name, make, now) => {
    const { app, log } = collector(now);
    const res = await app.request(new URL(make()).pathname + new URL(make()).search);
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(log.messagesOn('raw')).toHaveLength(0);
  });

  it('payloads that are not objects, deeply nested, or not UTF-8 are refused without a 5xx', async () => {
    const { app } = collector();
    const sig = 'A'.repeat(43);
    const bodies = [
      Buffer.from('['.repeat(3000) + ']'.repeat(3000)),
      Buffer.from('{"s":'.repeat(1000) + '1' + '}'.repeat(1000)),
      Buffer.from('"shop"'),
      Buffer.from('null'),
      Buffer.from([0xff, 0xfe, 0xed]),
      Buffer.from('{"s":"\ud800","kid":"shop-2"}'),
    ];
    for (const body of bodies) {
      const t = `${body.toString('base64url').slice(0, 8100)}.${sig}`;
      expect((await app.request(`/v1/c?t=${encodeURIComponent(t)}`)).status).toBe(400);
      expect((await app.request(`/v1/o.gif?t=${encodeURIComponent(t)}`)).status).toBe(200);
    }
  });

  it('a site\'s own key and the global fallback both verify; after sending, the open names its campaign', async () => {
    const { app, log } = collector();
    const own = new URL(links(SHOP_KEYED).clickUrl('https://shop.example/a'));
    const global = new URL(links({ ...SHOP, linkKeys: [] }).clickUrl('https://shop.example/b'));
    expect((await app.request(own.pathname + own.search)).status).toBe(302);
    expect((await app.request(global.pathname + global.search)).status).toBe(302);
    expect(rawEventsIn(log.messagesOn('raw')).map((m) => JSON.parse(m.raw.eventJson).props.targetUrl)).toEqual(['https://shop.example/a', 'https://shop.example/b']);
  });
});
