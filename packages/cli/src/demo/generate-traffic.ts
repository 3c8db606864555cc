import type { ClientEvent } from '@spoor/events';
import { ADDRESS_PREFIXES, USER_AGENTS } from './devices.js';
import { createRandom } from './random.js';
import { simulateVisit, type DemoVisitor } from './visitor-journey.js';

export interface TrafficOptions {
  visitors: number;
  days: number;
  seed: number;
  /** The last moment of simulated traffic (epoch ms); everything happens in the `days` before it. */
  endAt: number;
  /** Storefront origin used in page URLs. */
  origin: string;
}

/** An event with the visitor context the collector's import endpoint takes (`context: { ip, userAgent }`). */
export type DemoEvent = ClientEvent & { context?: { ip: string; userAgent: string } };

export interface DemoTraffic {
  events: DemoEvent[];
  customers: Array<{ customerId: string; email: string }>;
  campaigns: string[];
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * Realistic store traffic: visitors returning over several days from search (with terms), social, comparison sites,
 * ads, email and direct; browsing, carts (some abandoned, some recovered later), checkouts and purchases, repeat
 * buyers; weekly email campaigns with human opens, machine opens (privacy proxies) and clicks that bring people back.
 */
export function generateTraffic(options: TrafficOptions): DemoTraffic {
  const random = createRandom(options.seed);
  const start = options.endAt - options.days * DAY;
  const events: DemoEvent[] = [];
  let device: DemoEvent['context'];
  const emit = (e: ClientEvent) => {
    if (e.ts <= options.endAt) events.push(device && !e.type.startsWith('email_') ? { ...e, context: device } : e);
  };
  const visitors: DemoVisitor[] = [];
  const devices = new Map<DemoVisitor, DemoEvent['context']>();

  for (let v = 0; v < options.visitors; v++) {
    const isCustomer = random.chance(0.4);
    const n = 1000 + v;
    const visitor: DemoVisitor = {
      anonymousId: `a-${random.uuid()}`,
      ...(isCustomer ? { customer: { customerId: `cust-${n}`, email: `${random.pick(['Ana', 'Jan', 'Ola', 'Li', 'Sam'])}.${n}@Example.com` } } : {}),
      cartId: `cart-${random.uuid().slice(0, 13)}`,
      cart: new Map(),
      visits: 0,
      propensity: isCustomer ? random.weighted([[0.5, 3], [1, 4], [2, 2], [3.5, 1]] as const) : 1,
    };
    visitors.push(visitor);
    device = { userAgent: random.weighted(USER_AGENTS), ip: `${random.weighted(ADDRESS_PREFIXES)}.${random.int(1, 254)}` };
    devices.set(visitor, device);
    const visits = random.weighted(isCustomer ? ([[1, 3], [2, 3], [3, 2], [5, 2], [8, 1], [14, 1]] as const) : ([[1, 10], [2, 3], [3, 1]] as const));
    const times = Array.from({ length: visits }, () => start + random.int(0, options.days * 24 - 1) * HOUR + random.int(0, HOUR - 1)).sort((a, b) => a - b);
    let busyUntil = 0;
    for (const at of times) busyUntil = simulateVisit(random, visitor, Math.max(at, busyUntil + 31 * 60_000), options.origin, emit);
  }

  const customers = visitors.flatMap((v) => (v.customer ? [v] : []));
  const campaigns: string[] = [];
  for (let sendAt = start + DAY + 9 * HOUR; sendAt < options.endAt; sendAt += 7 * DAY) {
    const campaignId = `newsletter-${new Date(sendAt).toISOString().slice(0, 10)}`;
    campaigns.push(campaignId);
    for (const visitor of customers) {
      const { customerId } = visitor.customer!;
      const pixel = `${options.origin}/v1/o.gif`;
      const emailEvent = (type: 'email_open' | 'email_click', ts: number, extra: Record<string, unknown>) =>
        emit({ id: random.uuid(), type, ts, anonymousId: `email:${customerId}`, sessionId: `email:${campaignId}`, customerId, url: pixel, props: { campaignId, customerId, ...extra } } as ClientEvent);
      if (random.chance(0.12)) emailEvent('email_open', sendAt + random.int(1, 60) * 1000, { machine: true, machineReason: 'apple-mail-privacy-protection' });
      if (!random.chance(0.42)) continue;
      const openedAt = sendAt + random.int(5, 48 * 60) * 60_000;
      emailEvent('email_open', openedAt, {});
      if (!random.chance(0.3)) continue;
      const clickedAt = openedAt + random.int(5, 300) * 1000;
      const landing = `${options.origin}/?utm_source=newsletter&utm_medium=email&utm_campaign=${campaignId}`;
      emailEvent('email_click', clickedAt, { targetUrl: landing });
      device = devices.get(visitor);
      simulateVisit(random, visitor, clickedAt + 2000, options.origin, emit, {
        name: 'email',
        params: { utm_source: 'newsletter', utm_medium: 'email', utm_campaign: campaignId },
        landing: 'home',
      });
    }
  }

  events.sort((a, b) => a.ts - b.ts);
  return { events, customers: customers.map((v) => v.customer!), campaigns };
}
