import { RawEventOrigin } from '@spoor/events';
import type { EnrichedEvent } from '../enrich/enrich-event.js';
import { isoTime } from './iso-time.js';

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
  /**
   * Orders and their items: the event that brought the order. Part of their dedup token, so an order taken back after
   * its event was refused (resilient-load.ts) can be written again from another event without ClickHouse dropping the
   * insert as a repeat of the first.
   */
  eventId?: string;
  /** The row's values in the order of TABLE_COLUMNS[table] (table-columns.ts), as inserted. */
  row: unknown[];
}

/** A row's identity across sites: its table key (event id, order id, link) and its site. Dedupe never compares keys of different sites. */
export const siteKey = (row: { siteId: string; key: string }): string => `${row.siteId}\u0000${row.key}`;

export const TABLES = ['events', 'orders', 'order_items', 'identities', 'raw_events'] as const;
export type TableName = (typeof TABLES)[number];

const iso = isoTime;
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

/** The product / order / campaign … columns, which only some event types set (TABLE_COLUMNS.events order). */
type TypeColumns = [productId: string, productName: string, category: string, brand: string, price: number, quantity: number, cartId: string,
  orderId: string, revenue: number, currency: string, searchQuery: string, campaignId: string, machineOpen: boolean, customName: string,
  visibleMs: number, maxScroll: number];

function typeColumns(event: EnrichedEvent['event']): TypeColumns {
  switch (event.type) {
    case 'product_view': {
      const p = event.props;
      return [p.productId, p.name ?? '', p.category ?? '', p.brand ?? '', p.price ?? 0, 0, '', '', 0, p.currency ?? '', '', '', false, '', 0, 0];
    }
    case 'add_to_cart':
    case 'remove_from_cart': {
      const p = event.props;
      return [p.productId, p.name ?? '', p.category ?? '', p.brand ?? '', p.price, p.quantity, p.cartId ?? '', '', 0, p.currency ?? '', '', '', false, '', 0, 0];
    }
    case 'checkout_start':
      return ['', '', '', '', 0, 0, event.props.cartId ?? '', '', event.props.value ?? 0, event.props.currency ?? '', '', '', false, '', 0, 0];
    case 'purchase':
      return ['', '', '', '', 0, 0, event.props.cartId ?? '', event.props.orderId, event.props.revenue, event.props.currency, '', '', false, '', 0, 0];
    case 'search':
      return ['', '', '', '', 0, 0, '', '', 0, '', event.props.query, '', false, '', 0, 0];
    case 'email_open':
      return ['', '', '', '', 0, 0, '', '', 0, '', '', event.props.campaignId, event.props.machine ?? false, '', 0, 0];
    case 'email_click':
      return ['', '', '', '', 0, 0, '', '', 0, '', '', event.props.campaignId, false, '', 0, 0];
    case 'custom':
      return ['', '', '', '', 0, 0, '', '', 0, '', '', '', false, event.props.name, 0, 0];
    case 'page_ping':
      return ['', '', '', '', 0, 0, '', '', 0, '', '', '', false, '', event.props.visibleMs, event.props.maxScroll];
    default:
      return NO_TYPE_COLUMNS;
  }
}
const NO_TYPE_COLUMNS: TypeColumns = ['', '', '', '', 0, 0, '', '', 0, '', '', '', false, '', 0, 0];

/** One events row, positionally in TABLE_COLUMNS.events order (build-rows.test.ts checks it against the names). */
function eventRow(e: EnrichedEvent, ts: string): unknown[] {
  const { event, raw, traffic, campaign, geo, ua } = e;
  return [
    raw.siteId, event.id, event.type, ts, iso(raw.deviceTs > 0 ? raw.deviceTs : raw.receivedAt), iso(raw.receivedAt), e.time.clockSkewMs, e.time.inFuture,
    event.anonymousId, event.sessionId, e.customerId, event.visitNumber ?? 0, event.url, e.host, e.path, event.title ?? '',
    event.referrer ?? '', traffic.referrerHost, traffic.medium, traffic.source, traffic.searchTerm, e.channel,
    campaign.utmSource, campaign.utmMedium, campaign.utmCampaign, campaign.utmTerm, campaign.utmContent, campaign.clickIdType, campaign.clickId,
    geo.country, geo.region, geo.city, geo.latitude, geo.longitude, geo.timezone, e.ipAnonymized,
    ua.browser, ua.browserVersion, ua.os, ua.osVersion, ua.deviceType, ua.isBot,
    ...typeColumns(event),
    storedProps(e),
  ];
}

function rawRow(e: EnrichedEvent): unknown[] {
  const { raw } = e;
  return [
    raw.siteId, raw.eventId, raw.type || e.event.type, raw.anonymousId || e.event.anonymousId, raw.eventJson,
    iso(raw.deviceTs), iso(raw.sentAt), iso(raw.receivedAt), e.ipAnonymized, raw.userAgent, raw.collectorId, ORIGINS[raw.origin] ?? 'unspecified',
  ];
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
    rows.events.push({ key: eventId, siteId, row: eventRow(e, ts) });
    if (e.event.type === 'purchase') {
      const p = e.event.props;
      const orderKey = p.orderId;
      // A thank-you page reloaded sends the same order under a new event id: the first one wins.
      if (!ordersSeen.has(`${siteId}\u0000${orderKey}`)) {
        ordersSeen.add(`${siteId}\u0000${orderKey}`);
        const { anonymousId, sessionId } = e.event;
        const itemsCount = p.items.reduce((n, i) => n + i.quantity, 0);
        rows.orders.push({
          key: orderKey,
          siteId,
          eventId,
          row: [siteId, p.orderId, eventId, ts, anonymousId, sessionId, e.customerId, p.revenue, p.tax ?? 0, p.shipping ?? 0, p.currency, p.coupon ?? '', itemsCount, e.channel],
        });
        p.items.forEach((item, index) => {
          rows.order_items.push({
            key: orderKey,
            siteId,
            eventId,
            row: [siteId, p.orderId, index + 1, ts, e.customerId, anonymousId, item.productId, item.name ?? '', item.category ?? '', item.brand ?? '', item.price, item.quantity],
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
      row: [l.siteId, l.anonymousId, l.customerId, iso(l.first), iso(l.last), [...l.sources].sort()],
    });
  }
  return rows;
}
