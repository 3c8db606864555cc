import { describe, expect, it } from 'vitest';
import { createUserAgentParser, parseUserAgentUncached } from './parse-user-agent.js';

describe('user agent parsing (ua-parser-js 1.x + isbot)', () => {
  it('reads browser, OS and device type from real UA strings', () => {
    expect(parseUserAgentUncached('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36')).toEqual({
      browser: 'Chrome', browserVersion: '131', os: 'Windows', osVersion: '10', deviceType: 'desktop', isBot: false,
    });
    expect(parseUserAgentUncached('Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1')).toMatchObject({
      browser: 'Mobile Safari', os: 'iOS', osVersion: '17.6', deviceType: 'mobile', isBot: false,
    });
    expect(parseUserAgentUncached('Mozilla/5.0 (iPad; CPU OS 16_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1').deviceType).toBe('tablet');
    expect(parseUserAgentUncached('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 YaBrowser/24.10.0.0 Safari/537.36').browser).toBe('Yandex');
  });

  it('flags crawlers as bots (stored, not dropped)', () => {
    expect(parseUserAgentUncached('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)')).toMatchObject({ isBot: true, deviceType: 'bot' });
    expect(parseUserAgentUncached('Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)').isBot).toBe(true);
    expect(parseUserAgentUncached('curl/8.5.0').isBot).toBe(true);
    expect(parseUserAgentUncached('')).toMatchObject({ isBot: false, deviceType: '' });
  });

  it('caches results by UA string and gives the same answer as uncached', () => {
    const parse = createUserAgentParser({ cacheSize: 2 });
    const ua = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:132.0) Gecko/20100101 Firefox/132.0';
    const first = parse(ua);
    expect(parse(ua)).toBe(first);
    expect(first).toEqual(parseUserAgentUncached(ua));
    expect(createUserAgentParser({ cacheSize: 0 })(ua)).toEqual(first);
  });
});
