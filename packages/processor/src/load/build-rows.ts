import { RawEventOrigin } from '@spoor/events';
import type { EnrichedEvent } from '../enrich/enrich-event.js';

/** Rows for each table the processor writes, keyed so the loader can check what is already stored. */
export interface BatchRows {
  raw_events: KeyedRow[];
  events: KeyedRow[];
  orders: KeyedRow[];
  order_items: KeyedRow[];
  identities: KeyedRow[];
}

export interface KeyedRow {
  /** Dedup key within its table: event_id, or order_id for orders and their items, or the link for identities. */
  key: string;
  siteId: string;
  /** events only: day of ts, so the existence check can prune by the sort key. */
  day?: string;
  row: Record<string, unknown>;
}

export const TABLES = ['events', 'orders', 'order_items', 'identities', 'raw_events'] as const;
export type TableName = (typeof TABLES)[number];

const iso = (ms: number) => new Date(ms).toISOString();
const ORIGINS: Record<number, string> = {
  [RawEventOrigin.ORIGIN_UNSPECIFIED]: 'unspecified',
  [RawEventOrigin.BROWSER]: 'browser',
  [RawEventOrigin.EMAIL_PIXEL]: 'email_pixel',
  [RawEventOrigin.EMAIL_CLICK]: 'email_click',
  [RawEventOrigin.SERVER]: 'server',
};

/**
 * Props as stored. The collector replaces a verified landing token with `verifiedBy`; one that reaches us
 * anyway (an old collector, a replay of old raw events) is a bearer credential and stays in the raw archive only.
 */
function storedProps(e: EnrichedEvent): string {
  const traits = e.event.type === 'identify' ? e.event.props.traits : undefined;
  if (traits && 'spoor_it' in traits) {
    const { spoor_it: _token, ...kept } = traits;
    return JSON.stringify({ ...e.event.props, traits: kept });
  }
  return JSON.stringify(e.event.props);
}

function eventRow(e: EnrichedEvent): Record<string, unknown> {
  const { event, raw } = e;
  const row: Record<string, unknown> = {
    site_id: raw.siteId,
    event_id: event.id,
    type: event.type,
    ts: iso(e.time.ts),
    device_ts: iso(raw.deviceTs > 0 ? raw.deviceTs : raw.receivedAt),
    received_at: iso(raw.receivedAt),
    clock_skew_ms: e.time.clockSkewMs,
    ts_in_future: e.time.inFuture,
    anonymous_id: event.anonymousId,
    session_id: event.sessionId,
    customer_id: e.customerId,
    visit_number: event.visitNumber ?? 0,
    url: event.url,
    host: e.host,
    path: e.path,
    title: event.title ?? '',
    referrer: event.referrer ?? '',
    referrer_host: e.traffic.referrerHost,
    medium: e.traffic.medium,
    source: e.traffic.source,
    search_term: e.traffic.searchTerm,
    channel: e.channel,
    utm_source: e.campaign.utmSource,
    utm_medium: e.campaign.utmMedium,
    utm_campaign: e.campaign.utmCampaign,
    utm_term: e.campaign.utmTerm,
    utm_content: e.campaign.utmContent,
    click_id_type: e.campaign.clickIdType,
    click_id: e.campaign.clickId,
    country: e.geo.country,
    region: e.geo.region,
    city: e.geo.city,
    latitude: e.geo.latitude,
    longitude: e.geo.longitude,
    timezone: e.geo.timezone,
    ip_anonymized: e.ipAnonymized,
    browser: e.ua.browser,
    browser_version: e.ua.browserVersion,
    os: e.ua.os,
    os_version: e.ua.osVersion,
    device_type: e.ua.deviceType,
    is_bot: e.ua.isBot,
    props: storedProps(e),
  };
  switch (event.type) {
    case 'product_view':
      Object.assign(row, { product_id: event.props.productId, product_name: event.props.name ?? '', category: event.props.category ?? '', brand: event.props.brand ?? '', price: event.props.price ?? 0, currency: event.props.currency ?? '' });
      break;
    case 'add_to_cart':
    case 'remove_from_cart':
      Object.assign(row, { product_id: event.props.productId, product_name: event.props.name ?? '', category: event.props.category ?? '', brand: event.props.brand ?? '', price: event.props.price, quantity: event.props.quantity, cart_id: event.props.cartId ?? '', currency: event.props.currency ?? '' });
      break;
    case 'checkout_start':
      Object.assign(row, { cart_id: event.props.cartId ?? '', revenue: event.props.value ?? 0, currency: event.props.currency ?? '' });
      break;
    case 'purchase':
      Object.assign(row, { order_id: event.props.orderId, revenue: event.props.revenue, currency: event.props.currency, cart_id: event.props.cartId ?? '' });
      break;
    case 'search':
      row.search_query = event.props.query;
      break;
    case 'email_open':
      Object.assign(row, { campaign_id: event.props.campaignId, machine_open: event.props.machine ?? false });
      break;
    case 'email_click':
      row.campaign_id = event.props.campaignId;
      break;
    case 'custom':
      row.custom_name = event.props.name;
      break;
    case 'page_ping':
      Object.assign(row, { visible_ms: event.props.visibleMs, max_scroll: event.props.maxScroll });
      break;
    default:
      break;
  }
  return row;
}

function rawRow(e: EnrichedEvent): Record<string, unknown> {
  const { raw } = e;
  return {
    site_id: raw.siteId,
    event_id: raw.eventId,
    type: raw.type || e.event.type,
    anonymous_id: raw.anonymousId || e.event.anonymousId,
    event_json: raw.eventJson,
    device_ts: iso(raw.deviceTs),
    sent_at: iso(raw.sentAt),
    received_at: iso(raw.receivedAt),
    ip_anonymized: e.ipAnonymized,
    user_agent: raw.userAgent,
    collector_id: raw.collectorId,
    origin: ORIGINS[raw.origin] ?? 'unspecified',
  };
}

/** Turns a deduplicated batch into rows; identity links are folded per (site, anonymous id, customer) first. */
export function buildRows(batch: EnrichedEvent[]): BatchRows {
  const rows: BatchRows = { raw_events: [], events: [], orders: [], order_items: [], identities: [] };
  const links = new Map<string, { siteId: string; anonymousId: string; customerId: string; first: number; last: number; sources: Set<string> }>();
  const ordersSeen = new Set<string>();
  for (const e of batch) {
    const siteId = e.raw.siteId;
    // Keys compare with ClickHouse's UUID text, which is lowercase.
    const eventId = e.event.id.toLowerCase();
    const ts = iso(e.time.ts);
    rows.raw_events.push({ key: eventId, siteId, row: rawRow(e) });
    rows.events.push({ key: eventId, siteId, day: ts.slice(0, 10), row: eventRow(e) });
    if (e.event.type === 'purchase') {
      const p = e.event.props;
      const orderKey = p.orderId;
      // A thank-you page reloaded sends the same order under a new event id: the first one wins.
      if (!ordersSeen.has(`${siteId}\u0000${orderKey}`)) {
        ordersSeen.add(`${siteId}\u0000${orderKey}`);
        const common = { site_id: siteId, order_id: p.orderId, ts, customer_id: e.customerId, anonymous_id: e.event.anonymousId };
        rows.orders.push({
          key: orderKey,
          siteId,
          row: { ...common, event_id: eventId, session_id: e.event.sessionId, revenue: p.revenue, tax: p.tax ?? 0, shipping: p.shipping ?? 0, currency: p.currency, coupon: p.coupon ?? '', items_count: p.items.reduce((n, i) => n + i.quantity, 0), channel: e.channel },
        });
        p.items.forEach((item, index) => {
          rows.order_items.push({
            key: orderKey,
            siteId,
            row: { ...common, line: index + 1, product_id: item.productId, product_name: item.name ?? '', category: item.category ?? '', brand: item.brand ?? '', price: item.price, quantity: item.quantity },
          });
        });
      }
    }
    for (const link of e.identityLinks) {
      const id = `${siteId}\u0000${e.event.anonymousId}\u0000${link.customerId}`;
      const existing = links.get(id);
      if (existing) {
        existing.first = Math.min(existing.first, e.time.ts);
        existing.last = Math.max(existing.last, e.time.ts);
        existing.sources.add(link.source);
      } else {
        links.set(id, { siteId, anonymousId: e.event.anonymousId, customerId: link.customerId, first: e.time.ts, last: e.time.ts, sources: new Set([link.source]) });
      }
    }
  }
  for (const [id, l] of links) {
    rows.identities.push({
      key: id,
      siteId: l.siteId,
      row: { site_id: l.siteId, anonymous_id: l.anonymousId, customer_id: l.customerId, first_seen: iso(l.first), last_seen: iso(l.last), sources: [...l.sources].sort() },
    });
  }
  return rows;
}
