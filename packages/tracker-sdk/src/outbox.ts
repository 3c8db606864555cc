import type { ClientEvent } from '@spoor/events';
import type { Store } from './ports.js';

/**
 * The outbox: every event waits here (in localStorage for the browser) until the collector has
 * acknowledged it, so events survive reloads, offline periods and closed tabs. It is re-read on every
 * access because other tabs of the site write to it too. Age is the event's own `ts`; when the cap in
 * bytes is exceeded the oldest events go first.
 */
export interface Outbox {
  all(): ClientEvent[];
  add(e: ClientEvent): ClientEvent[];
  drop(ids: string[]): void;
}

/** JSON.parse that answers undefined for anything unreadable (a record another version or a user broke). */
export function parseJson<T>(s: string | null): T | undefined {
  try {
    return JSON.parse(s!) as T;
  } catch {
    // unreadable: treated as absent
  }
}

export function createOutbox(store: Store, key: string, maxBytes: number, maxAge: number, now: () => number): Outbox {
  const save = (list: ClientEvent[]) => {
    let json = JSON.stringify(list);
    while (list.length && json.length > maxBytes) json = JSON.stringify((list = list.slice(1)));
    if (list.length) store.set(key, json);
    else store.del(key);
    return list;
  };
  // none yet, or corrupt: a corrupt outbox is discarded rather than blocking delivery forever
  const all = (t = now()): ClientEvent[] => (parseJson<ClientEvent[]>(store.get(key)) || []).filter((e) => t - e.ts < maxAge);
  return {
    all,
    add: (e) => save([...all(), e]),
    drop: (ids) => save(all().filter((e) => !ids.includes(e.id))),
  };
}
