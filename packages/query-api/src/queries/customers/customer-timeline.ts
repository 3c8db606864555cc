import type { ProfileParts } from './customer-profile-parts.js';

/**
 * The profile's summary, emails, sessions and open carts built from the customer's own rows (non-bot, before as_of,
 * oldest first), fetched in one query: in chDB each further statement costs ~15–20 ms however few rows it reads, so
 * one fetch plus this is what keeps a profile within its latency target. Rules are those of the SQL in
 * customer-profile.ts (used instead when a customer has more rows than PROFILE_ROW_CAP); times are ISO strings of one
 * width, so they compare as text.
 */
export interface OwnRow {
  type: string;
  ts: string;
  session_id: string;
  channel: string;
  source: string;
  path: string;
  campaign_id: string;
  machine_open: boolean | number;
  cart_id: string;
  product_id: string;
  product_name: string;
  price: number;
  quantity: number;
}

const isEmail = (r: OwnRow) => r.type === 'email_open' || r.type === 'email_click';
const isHumanOpen = (r: OwnRow) => r.type === 'email_open' && !r.machine_open;
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const minOf = (a: string | null, b: string) => (a === null || b < a ? b : a);
const maxOf = (a: string | null, b: string) => (a === null || b > a ? b : a);

export function buildSummary(rows: OwnRow[]): ProfileParts['summary'] {
  let first: string | null = null;
  let last: string | null = null;
  // Opens are unique per campaign (one customer here): every pixel hit is stored, a re-read email is still one open.
  const humanOpened = new Set<string>();
  const machineOpened = new Set<string>();
  let clicks = 0;
  for (const r of rows) {
    // Machine-flagged opens are not the customer doing anything.
    if (!(r.type === 'email_open' && r.machine_open)) {
      first = minOf(first, r.ts);
      last = maxOf(last, r.ts);
    }
    if (isHumanOpen(r)) humanOpened.add(r.campaign_id);
    else if (r.type === 'email_open') machineOpened.add(r.campaign_id);
    if (r.type === 'email_click') clicks += 1;
  }
  return { first_seen: first, last_seen: last, email_opens: humanOpened.size, email_machine_opens: machineOpened.size, email_clicks: clicks, events: rows.length };
}

/**
 * Per campaign: whether a human opened it (`opens` 0 or 1: unique per campaign and customer, however often the pixel was
 * fetched) and its clicks; campaigns only a machine opened are not listed; latest email activity first.
 */
export function buildEmails(rows: OwnRow[], limit: number): ProfileParts['emails'] {
  const campaigns = new Map<string, { first_opened_at: string | null; first_clicked_at: string | null; opens: number; clicks: number; latest: string }>();
  for (const r of rows) {
    if (!isEmail(r)) continue;
    const c = campaigns.get(r.campaign_id) ?? { first_opened_at: null, first_clicked_at: null, opens: 0, clicks: 0, latest: r.ts };
    c.latest = maxOf(c.latest, r.ts);
    if (isHumanOpen(r)) {
      c.opens = 1;
      c.first_opened_at = minOf(c.first_opened_at, r.ts);
    }
    if (r.type === 'email_click') {
      c.clicks += 1;
      c.first_clicked_at = minOf(c.first_clicked_at, r.ts);
    }
    campaigns.set(r.campaign_id, c);
  }
  return [...campaigns]
    .filter(([, c]) => c.opens + c.clicks > 0)
    .sort(([a, x], [b, y]) => byText(y.latest, x.latest) || byText(a, b))
    .slice(0, limit)
    .map(([campaign_id, c]) => ({ campaign_id, first_opened_at: c.first_opened_at, first_clicked_at: c.first_clicked_at, opens: c.opens, clicks: c.clicks }));
}

/** Browsing sessions (email pseudo-events left out): channel/source of the earliest event naming one, newest first. */
export function buildSessions(rows: OwnRow[], limit: number): ProfileParts['sessions'] {
  const sessions = new Map<string, ProfileParts['sessions'][number] & { entrySet: boolean }>();
  for (const r of rows) {
    if (isEmail(r)) continue;
    let s = sessions.get(r.session_id);
    if (!s) {
      s = { session_id: r.session_id, started_at: r.ts, ended_at: r.ts, channel: '', source: '', entry_page: '', page_views: 0, purchased: false, entrySet: false };
      sessions.set(r.session_id, s);
    }
    // Rows come oldest first: the first match is the earliest one.
    s.started_at = minOf(s.started_at, r.ts);
    s.ended_at = maxOf(s.ended_at, r.ts);
    if (!s.channel && r.channel) s.channel = r.channel;
    if (!s.source && r.source) s.source = r.source;
    if (r.type === 'page_view') {
      s.page_views += 1;
      if (!s.entrySet) Object.assign(s, { entry_page: r.path, entrySet: true });
    }
    if (r.type === 'purchase') s.purchased = true;
  }
  return [...sessions.values()]
    .sort((a, b) => byText(b.started_at, a.started_at) || byText(a.session_id, b.session_id))
    .slice(0, limit)
    .map(({ entrySet: _e, ...s }) => s);
}

/**
 * Open carts: per cart (cart id, else the session) the net quantity of each product added minus removed at its latest
 * price; open when something is left, no purchase named it, and nothing was bought after its last change.
 */
export function buildOpenCarts(rows: OwnRow[], limit: number): ProfileParts['openCarts'] {
  type CartLine = { name: string; price: number; priceTs: string; net: number };
  const carts = new Map<string, Map<string, CartLine>>();
  const changed = new Map<string, string>();
  const purchased = new Set<string>();
  let lastPurchase: string | null = null;
  for (const r of rows) {
    if (r.type === 'purchase') {
      if (r.cart_id) purchased.add(r.cart_id);
      lastPurchase = maxOf(lastPurchase, r.ts);
      continue;
    }
    if (r.type !== 'add_to_cart' && r.type !== 'remove_from_cart') continue;
    const key = r.cart_id || r.session_id;
    const lines = carts.get(key) ?? new Map<string, CartLine>();
    carts.set(key, lines);
    const line = lines.get(r.product_id) ?? { name: r.product_name, price: r.price, priceTs: r.ts, net: 0 };
    if (r.ts >= line.priceTs) Object.assign(line, { price: r.price, priceTs: r.ts });
    line.net += r.type === 'add_to_cart' ? r.quantity : -r.quantity;
    lines.set(r.product_id, line);
    changed.set(key, maxOf(changed.get(key) ?? null, r.ts));
  }
  const open: ProfileParts['openCarts'] = [];
  for (const [cart_id, lines] of carts) {
    const updated_at = changed.get(cart_id) as string;
    const items = [...lines]
      .filter(([, l]) => l.net > 0)
      .sort(([a], [b]) => byText(a, b))
      .map(([product_id, l]) => ({ product_id, product_name: l.name, quantity: l.net, price: l.price }));
    if (!items.length || purchased.has(cart_id) || (lastPurchase !== null && updated_at <= lastPurchase)) continue;
    open.push({ cart_id, updated_at, value: items.reduce((v, i) => v + i.quantity * i.price, 0), items });
  }
  return open.sort((a, b) => byText(b.updated_at, a.updated_at)).slice(0, limit);
}
