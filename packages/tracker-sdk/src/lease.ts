import type { Store } from './ports.js';

/**
 * A send lease in the shared store so that two tabs never send the outbox at the same time. The value
 * is `<tab id>:<expiry ms>`; an expired lease (its tab died mid-send) is free. localStorage has no
 * compare-and-set, so the write is read back; the rare race that still slips through only costs a
 * duplicate request, which the processor removes by event id.
 * Returns 0 when this tab holds the lease until `now + ms`, else the ms until the other tab's lease
 * expires. `takeLease(store, key, me, 0, 0)` releases this tab's lease (and leaves another tab's alone).
 */
export function takeLease(store: Store, key: string, me: string, now: number, ms: number): number {
  const [owner, until] = (store.get(key) || '').split(':');
  const left = +until! - now;
  if (owner != me && left > 0) return left;
  const mine = me + ':' + (now + ms);
  store.set(key, mine);
  return store.get(key) == mine ? 0 : ms;
}
