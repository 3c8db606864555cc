import type { ClientEvent, EventProps } from '@spoor/events';
import { ARRIVALS, type Arrival } from './channels.js';
import { CATALOG, productPath, SEARCH_TERMS, type Product } from './catalog.js';
import type { Random } from './random.js';

export interface DemoVisitor {
  anonymousId: string;
  customer?: { customerId: string; email: string };
  cartId: string;
  cart: Map<string, { product: Product; quantity: number }>;
  visits: number;
  /** How readily this visitor buys (1 = average): loyal customers buy often, browsers rarely. */
  propensity: number;
}

type Emit = (event: ClientEvent) => void;
type Draft = { [T in ClientEvent['type']]: { type: T; props: EventProps<T> } }[ClientEvent['type']];

const SECOND = 1000;

/** One visit of one visitor: landing, browsing, maybe a cart, checkout and purchase. Returns when it ended. */
export function simulateVisit(random: Random, visitor: DemoVisitor, startAt: number, origin: string, emit: Emit, arrival: Arrival = random.weighted(ARRIVALS)): number {
  visitor.visits += 1;
  const sessionId = random.uuid();
  let t = startAt;
  let referrer: string | undefined = arrival.referrer;
  let lastUrl = '';
  const send = (draft: Draft, url: string, title: string) => {
    const event = {
      id: random.uuid(),
      ts: t,
      anonymousId: visitor.anonymousId,
      sessionId,
      url,
      title,
      visitNumber: visitor.visits,
      ...(referrer ? { referrer } : {}),
      ...(visitor.customer && loggedIn ? { customerId: visitor.customer.customerId } : {}),
      ...draft,
    } as ClientEvent;
    emit(event);
  };
  let loggedIn = false;
  const pageView = (path: string, title: string, params?: Record<string, string>) => {
    const url = `${origin}${path}${params ? `?${new URLSearchParams(params)}` : ''}`;
    send({ type: 'page_view', props: {} }, url, title);
    referrer = lastUrl || referrer;
    lastUrl = url;
    t += random.int(3, 90) * SECOND;
    send({ type: 'page_ping', props: { visibleMs: random.int(2, 80) * SECOND, maxScroll: random.int(10, 100) } }, url, title);
  };
  const pickProduct = () => random.weighted(CATALOG.map((p) => [p, p.popularity] as const));

  // Landing.
  const landingProduct = pickProduct();
  if (arrival.landing === 'product') pageView(productPath(landingProduct), landingProduct.name, arrival.params);
  else if (arrival.landing === 'category') pageView(`/c/${landingProduct.category.toLowerCase().replace(/\s+/g, '-')}`, landingProduct.category, arrival.params);
  else pageView('/', 'Home', arrival.params);
  if (arrival.landing === 'product') send({ type: 'product_view', props: productProps(landingProduct) }, lastUrl, landingProduct.name);

  if (visitor.customer && random.chance(0.35)) {
    loggedIn = true;
    send({ type: 'identify', props: { customerId: visitor.customer.customerId, traits: { email: visitor.customer.email } } }, lastUrl, 'Login');
  }

  const pages = random.weighted([[1, 30], [2, 20], [3, 15], [4, 12], [6, 12], [9, 8], [14, 3]] as const);
  for (let i = 1; i < pages; i++) {
    t += random.int(5, 60) * SECOND;
    const roll = random.float();
    if (roll < 0.6) {
      const product = pickProduct();
      pageView(productPath(product), product.name);
      send({ type: 'product_view', props: productProps(product) }, lastUrl, product.name);
      if (random.chance(Math.min(0.9, (visitor.customer ? 0.22 : 0.12) * visitor.propensity))) {
        const quantity = random.weighted([[1, 8], [2, 2], [3, 1]] as const);
        const line = visitor.cart.get(product.productId);
        visitor.cart.set(product.productId, { product, quantity: (line?.quantity ?? 0) + quantity });
        send({ type: 'add_to_cart', props: { ...productProps(product), price: product.price, quantity, cartId: visitor.cartId } }, lastUrl, product.name);
      }
    } else if (roll < 0.75) {
      const term = random.pick(SEARCH_TERMS);
      pageView(`/search?q=${encodeURIComponent(term)}`, `Search: ${term}`);
      send({ type: 'search', props: { query: term, results: random.int(0, 24) } }, lastUrl, `Search: ${term}`);
    } else if (roll < 0.85 && visitor.cart.size) {
      const [productId, line] = [...visitor.cart.entries()][0]!;
      visitor.cart.delete(productId);
      pageView('/cart', 'Cart');
      send({ type: 'remove_from_cart', props: { ...productProps(line.product), price: line.product.price, quantity: line.quantity, cartId: visitor.cartId } }, lastUrl, 'Cart');
    } else {
      pageView('/', 'Home');
    }
  }

  if (visitor.cart.size && random.chance(Math.min(0.95, (visitor.customer ? 0.55 : 0.35) * Math.sqrt(visitor.propensity)))) {
    t += random.int(10, 60) * SECOND;
    pageView('/cart', 'Cart');
    t += random.int(10, 60) * SECOND;
    pageView('/checkout', 'Checkout');
    const items = [...visitor.cart.values()].map(({ product, quantity }) => ({ ...productProps(product), price: product.price, quantity }));
    const value = round2(items.reduce((sum, item) => sum + item.price * item.quantity, 0));
    send({ type: 'checkout_start', props: { cartId: visitor.cartId, value, currency: 'EUR', items } }, lastUrl, 'Checkout');
    if (visitor.customer && !loggedIn) {
      loggedIn = true;
      send({ type: 'identify', props: { customerId: visitor.customer.customerId, traits: { email: visitor.customer.email } } }, lastUrl, 'Checkout');
    }
    if (random.chance(0.6)) {
      t += random.int(30, 240) * SECOND;
      const orderId = `o-${random.uuid().slice(0, 13)}`;
      pageView(`/checkout/thank-you`, 'Thank you');
      send({ type: 'purchase', props: { orderId, revenue: value, currency: 'EUR', cartId: visitor.cartId, items, shipping: value >= 50 ? 0 : 4.9 } }, lastUrl, 'Thank you');
      visitor.cart.clear();
      visitor.cartId = `cart-${random.uuid().slice(0, 13)}`;
    }
  }
  return t;
}

function productProps(p: Product) {
  return { productId: p.productId, name: p.name, category: p.category, brand: p.brand, price: p.price, currency: 'EUR' };
}

const round2 = (n: number) => Math.round(n * 100) / 100;
