import type { EventProps } from '@spoor/events';
import type { Tracker } from './tracker.js';

type Flat = Record<string, string | number | boolean | null>;

/** The public API: commerce and identity calls on top of the tracker core. */
export interface SpoorApi {
  /** A custom event. */
  track(name: string, properties?: Flat): void;
  productView(product: EventProps<'product_view'>): void;
  addToCart(item: EventProps<'add_to_cart'>): void;
  removeFromCart(item: EventProps<'remove_from_cart'>): void;
  checkoutStart(checkout: EventProps<'checkout_start'>): void;
  purchase(order: EventProps<'purchase'>): void;
  search(query: string, results?: number): void;
  /** Links this visitor to a customer from now on (and, server-side, retroactively). */
  identify(customerId: string, traits?: Flat): void;
  /** Logout: forget the customer and start a new anonymous visitor. */
  reset(): void;
  /** Record the visitor's consent decision. */
  consent(granted: boolean): void;
  /** A page view of the current URL (automatic unless `autoPageview: false`). */
  page(): void;
  /** Send waiting events now. */
  flush(): void;
}

/** Commerce calls whose event type is the method name in snake_case (productView → product_view). */
const COMMERCE = ['productView', 'addToCart', 'removeFromCart', 'checkoutStart', 'purchase'] as const;

export function createApi(t: Tracker): SpoorApi {
  // identify, reset, consent, page and flush are the tracker's own (its methods do not use `this`)
  const api = {
    ...t,
    // an undefined optional field disappears in JSON, so it needs no branch
    track: (name: string, properties?: Flat) => t.emit('custom', { name, properties }),
    search: (query: string, results?: number) => t.emit('search', { query, results }),
  } as unknown as SpoorApi;
  COMMERCE.forEach((m) => (api[m] = (p: never) => t.emit(m.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase()) as 'purchase', p)));
  return api;
}
