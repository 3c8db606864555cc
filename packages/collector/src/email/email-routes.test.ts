import { describe, expect, it } from 'vitest';
import { RawEventOrigin } from '@spoor/events';
import { rawEventsIn } from '../test-support/read-topic.js';
import { fromAddress, SECRETS, SHOP, unitCollector } from '../test-support/collector-fixture.js';
import { buildCampaignLinks } from './campaign-links.js';
import { verifyIdentityToken } from './link-token.js';
import { PIXEL_GIF } from './open-pixel-route.js';

const HOUR = 3_600_000;
const sentAt = 1_763_800_000_000;
const links = (overrides: Partial<Parameters<typeof buildCampaignLinks>[0]> = {}) =>
  buildCampaignLinks({ collectorUrl: 'https://t.shop.example', siteId: 'shop', campaignId: 'spring-sale', customerId: 'cust-42', secrets: SECRETS, issuedAt: sentAt, ...overrides });
const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};
const HUMAN_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';

function stored(log: ReturnType<typeof unitCollector>['log']) {
  return rawEventsIn(log.messagesOn('raw')).map(({ key, raw }) => ({ key, raw, event: JSON.parse(raw.eventJson) }));
}

describe('GET /v1/o.gif', () => {
  it('records a human email_open for a signed token and answers an uncacheable GIF', async () => {
    const { app, log } = unitCollector({ now: () => sentAt + 2 * HOUR });
    const res = await app.request(pathOf(links().openPixelUrl), { headers: { 'user-agent': HUMAN_UA } }, fromAddress('198.51.100.20'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/gif');
    expect(res.headers.get('cache-control')).toMatch(/no-store/);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PIXEL_GIF);
    const [open] = stored(log);
    expect(open!.raw).toMatchObject({ type: 'email_open', siteId: 'shop', origin: RawEventOrigin.EMAIL_PIXEL, clientIp: '198.51.100.0' });
    expect(open!.event.props).toEqual({ campaignId: 'spring-sale', customerId: 'cust-42', machine: false });
    expect(open!.key).toBe('email:cust-42');
  });

  it.each([
    ['Gmail image proxy', 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)', '198.51.100.20', 2 * HOUR, /gmail-image-proxy/],
    ['Apple Mail Privacy Protection by network', 'Mozilla/5.0', '17.58.100.1', 2 * HOUR, /apple-mail-privacy-protection/],
    ['Apple Mail Privacy Protection by user agent', 'Mozilla/5.0', '198.51.100.20', 2 * HOUR, /apple-mail-privacy-protection/],
    ['a security scanner', 'Mimecast Security Scanner', '198.51.100.20', 2 * HOUR, /security-scanner/],
    ['Exchange Online Protection network', HUMAN_UA, '40.107.1.2', 2 * HOUR, /microsoft-exchange-protection/],
    ['an open seconds after sending', HUMAN_UA, '198.51.100.20', 1500, /^timing: /],
  ])('flags %s as a machine open', async (_name, ua, ip, delay, reason) => {
    const { app, log } = unitCollector({ now: () => sentAt + delay });
    await app.request(pathOf(links().openPixelUrl), { headers: { 'user-agent': ua } }, fromAddress(ip));
    const [open] = stored(log);
    expect(open!.event.props.machine).toBe(true);
    expect(open!.event.props.machineReason).toMatch(reason);
  });

  it('answers the GIF but records nothing for a missing or tampered token, and counts it', async () => {
    const { app, log } = unitCollector({ now: () => sentAt + HOUR });
    const url = new URL(links().openPixelUrl);
    const token = url.searchParams.get('t')!;
    const [body, mac] = token.split('.');
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString());
    const tampered = `${Buffer.from(JSON.stringify({ ...payload, u: 'someone-else' })).toString('base64url')}.${mac}`;
    for (const query of ['', `?t=${tampered}`, '?t=garbage', `?t=${'a'.repeat(20_000)}`]) {
      const res = await app.request(`/v1/o.gif${query}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/gif');
    }
    expect(log.messagesOn('raw')).toHaveLength(0);
    expect(await (await app.request('/metrics')).text()).toMatch(/spoor_collector_email_tokens_invalid_total\{kind="open"\} 4/);
  });

  it('does not accept a click token as an open token', async () => {
    const { app, log } = unitCollector({ now: () => sentAt + HOUR });
    const click = new URL(links().clickUrl('https://shop.example/sale')).searchParams.get('t')!;
    await app.request(`/v1/o.gif?t=${click}`);
    expect(log.messagesOn('raw')).toHaveLength(0);
  });

  it('answers 503 when the log is down (nothing acknowledged that was not stored)', async () => {
    const { app, log } = unitCollector({ now: () => sentAt + 2 * HOUR });
    log.state.failing = true;
    const res = await app.request(pathOf(links().openPixelUrl), { headers: { 'user-agent': HUMAN_UA } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBeTruthy();
  });
});

describe('GET /v1/c', () => {
  it('records email_click and redirects to an allowed host with a verifiable identity token', async () => {
    const now = sentAt + HOUR;
    const { app, log } = unitCollector({ now: () => now, identityTokenTtlMs: 600_000 });
    const res = await app.request(pathOf(links().clickUrl('https://shop.example/sale?utm_source=mail#top')));
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe('https://shop.example/sale');
    expect(location.searchParams.get('utm_source')).toBe('mail');
    expect(location.hash).toBe('#top');
    const identity = verifyIdentityToken(location.searchParams.get('spoor_it'), SECRETS, now);
    expect(identity).toEqual({ siteId: 'shop', customerId: 'cust-42', campaignId: 'spring-sale', expiresAt: now + 600_000, tokenId: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/) });
    expect(verifyIdentityToken(location.searchParams.get('spoor_it'), SECRETS, now + 600_001)).toBeUndefined();
    const [click] = stored(log);
    expect(click!.raw).toMatchObject({ type: 'email_click', origin: RawEventOrigin.EMAIL_CLICK, siteId: 'shop' });
    expect(click!.event.props).toEqual({ campaignId: 'spring-sale', customerId: 'cust-42', targetUrl: 'https://shop.example/sale?utm_source=mail#top' });
  });

  it('allows wildcard subdomains from the allowlist', async () => {
    const { app } = unitCollector({ now: () => sentAt + HOUR });
    const res = await app.request(pathOf(links().clickUrl('https://img.cdn.shop.example/x.png')));
    expect(res.status).toBe(302);
  });

  it.each([
    ['off-allowlist host', () => links().clickUrl('https://evil.example/phish')],
    ['look-alike host', () => links().clickUrl('https://shop.example.evil.example/')],
    ['bare domain of a wildcard', () => links().clickUrl('https://cdn.shop.example/')],
    ['another site’s host', () => links({ siteId: 'other' }).clickUrl('https://shop.example/')],
    ['unknown site', () => links({ siteId: 'ghost' }).clickUrl('https://shop.example/')],
  ])('answers 400 and records nothing for an %s', async (_name, make) => {
    const { app, log } = unitCollector({ now: () => sentAt + HOUR });
    const res = await app.request(pathOf(make()));
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(log.messagesOn('raw')).toHaveLength(0);
  });

  it('answers 400 for a tampered, foreign-secret, open-kind or missing token', async () => {
    const { app, log } = unitCollector({ now: () => sentAt + HOUR });
    const good = new URL(links().clickUrl('https://shop.example/')).searchParams.get('t')!;
    const [body, mac] = good.split('.');
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString());
    const retargeted = `${Buffer.from(JSON.stringify({ ...payload, t: 'https://evil.example/' })).toString('base64url')}.${mac}`;
    const foreign = new URL(links({ secrets: ['another-secret-that-is-long-enough-000000'] }).clickUrl('https://shop.example/')).searchParams.get('t')!;
    const open = new URL(links().openPixelUrl).searchParams.get('t')!;
    for (const t of [retargeted, foreign, open, '']) {
      const res = await app.request(`/v1/c?t=${encodeURIComponent(t)}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^t: /);
    }
    expect(log.messagesOn('raw')).toHaveLength(0);
  });

  it('verifies with a rotated-out secret still listed', async () => {
    const old = 'old-secret-still-verifying-0123456789abc';
    const { app } = unitCollector({ linkSecrets: [SECRETS[0]!, old], now: () => sentAt + HOUR });
    const res = await app.request(pathOf(links({ secrets: [old] }).clickUrl('https://shop.example/')));
    expect(res.status).toBe(302);
  });
});

describe('buildCampaignLinks', () => {
  it('refuses non-http targets', () => {
    expect(() => links().clickUrl('javascript:alert(1)')).toThrow(/http/);
  });
  it('makes URLs on the collector base', () => {
    const l = links();
    expect(l.openPixelUrl).toMatch(/^https:\/\/t\.shop\.example\/v1\/o\.gif\?t=/);
    expect(l.clickUrl('https://shop.example/')).toMatch(/^https:\/\/t\.shop\.example\/v1\/c\?t=/);
    expect(SHOP.allowedRedirectHosts).toContain('shop.example');
  });
});
