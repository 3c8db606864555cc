import { encodeRawEvent, RawEventOrigin, type ClientEvent, type RawEvent } from '@spoor/events';

/** Real browser and crawler UA strings, so benchmarks and drills exercise the UA parser and its cache honestly. */
export const SAMPLE_USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.102 Mobile Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:132.0) Gecko/20100101 Firefox/132.0',
  'Mozilla/5.0 (iPad; CPU OS 16_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 YaBrowser/24.10.0.0 Safari/537.36',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)',
];

export const SAMPLE_REFERRERS = [
  '',
  'https://www.google.com/',
  'https://yandex.ru/search/?text=%D0%BA%D1%80%D0%BE%D1%81%D1%81%D0%BE%D0%B2%D0%BA%D0%B8',
  'https://www.bing.com/search?q=running+shoes',
  'https://l.facebook.com/',
  'https://www.ceneo.pl/12345',
  'https://shop.example/products/1',
  'https://duckduckgo.com/?q=trail+shoes',
];

const IPS = ['83.0.12.34', '95.108.213.4', '8.8.8.8', '2a02:6b8::feed:1', '185.10.20.30', '2001:db8::1'];

function uuidFrom(n: number, salt: number): string {
  const hex = (n * 2654435761 + salt).toString(16).padStart(12, '0').slice(-12);
  const seq = n.toString(16).padStart(12, '0').slice(-12);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${seq.slice(0, 3)}-8${seq.slice(3, 6)}-${seq.slice(0, 6)}${(salt & 0xffffff).toString(16).padStart(6, '0')}`;
}

export interface SyntheticOptions {
  siteId?: string;
  /** Distinct values per run so several runs can share a topic without colliding ids. */
  salt?: number;
  /** Share of purchases, 1 in N events. */
  purchaseEvery?: number;
  now?: number;
}

/** Event number n of a deterministic stream: page views, product views, carts, purchases, identifies, pings. */
export function syntheticRawEvent(n: number, options: SyntheticOptions = {}): RawEvent {
  const salt = options.salt ?? 1;
  const siteId = options.siteId ?? 'site-bench';
  const now = options.now ?? 1_763_800_000_000;
  const visitor = n % 5000;
  const anonymousId = `anon-${salt}-${visitor}`;
  const sessionId = `sess-${salt}-${visitor}-${Math.floor(n / 50_000)}`;
  const id = uuidFrom(n, salt);
  const deviceTs = now + n;
  const common = { id, ts: deviceTs, anonymousId, sessionId, url: `https://shop.example/products/${n % 300}?utm_source=${n % 7 === 0 ? 'newsletter' : ''}`, referrer: SAMPLE_REFERRERS[n % SAMPLE_REFERRERS.length] || undefined };
  const kind = n % (options.purchaseEvery ?? 20);
  let event: ClientEvent;
  if (kind === 0) {
    event = { ...common, type: 'purchase', props: { orderId: `order-${salt}-${n}`, revenue: 59.9, currency: 'EUR', items: [{ productId: `p${n % 300}`, price: 29.95, quantity: 2, name: 'Trail shoe' }] } };
  } else if (kind === 1) {
    event = { ...common, type: 'identify', props: { customerId: `cust-${salt}-${visitor}` } };
  } else if (kind < 6) {
    event = { ...common, type: 'product_view', props: { productId: `p${n % 300}`, name: 'Trail shoe', category: 'Shoes', price: 29.95, currency: 'EUR' } };
  } else if (kind < 8) {
    event = { ...common, type: 'add_to_cart', props: { productId: `p${n % 300}`, price: 29.95, quantity: 1 } };
  } else if (kind < 10) {
    event = { ...common, type: 'page_ping', props: { visibleMs: 5000, maxScroll: 60 } };
  } else {
    event = { ...common, type: 'page_view', props: {} };
  }
  return {
    eventId: id,
    type: event.type,
    anonymousId,
    siteId,
    eventJson: JSON.stringify(event),
    deviceTs,
    sentAt: deviceTs + 500,
    receivedAt: deviceTs + 700,
    clientIp: IPS[n % IPS.length]!,
    userAgent: SAMPLE_USER_AGENTS[n % SAMPLE_USER_AGENTS.length]!,
    collectorId: 'collector-synthetic',
    origin: RawEventOrigin.BROWSER,
  };
}

export const syntheticMessage = (n: number, options?: SyntheticOptions) => {
  const raw = syntheticRawEvent(n, options);
  return { key: raw.anonymousId, value: encodeRawEvent(raw) };
};

/** The same event as an SDK retry: same id, later sent/received times. */
export function retriedCopy(raw: RawEvent, delayMs: number): RawEvent {
  return { ...raw, sentAt: raw.sentAt + delayMs, receivedAt: raw.receivedAt + delayMs };
}
